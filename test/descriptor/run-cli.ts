/** Child-process entry for CLI tests: `node --import tsx test/descriptor/run-cli.ts (hadispatch|migrate) ARGS...`. */
import { main } from '../../lib/cli/index.js';
import { runMigrate } from '../../lib/cli/commands/migrate.js';

const [which, ...args] = process.argv.slice(2);
process.exitCode = which === 'migrate' ? await runMigrate(args) : await main(args);
