/** Runs the CLI from lib/ through tsx (CHAOS_FROM_SOURCE=1): no dependence on a built dist/. */
import { main } from '../../../lib/cli/index.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err: unknown) => { process.stderr.write(`hadispatch: internal error: ${String(err)}\n`); process.exitCode = 70; },
);
