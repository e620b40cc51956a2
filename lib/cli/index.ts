/**
 * `hadispatch <command>`: dispatches to one command module. Exit status: 0 success, 1 user error
 * (one line on stderr naming the file or flag at fault), 2 bad usage. No stack traces for user errors.
 */
import { HaError, UsageError } from '../core/index.js';
import type { Command } from './commands/types.js';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  serve: () => import('./commands/serve.js'),
  descriptor: () => import('./commands/descriptor.js'),
  backends: () => import('./commands/backends.js'),
  register: () => import('./commands/register.js'),
};

const USAGE = `usage: hadispatch <command> [options]

commands:
  serve        run the gateway
  descriptor   validate | show | set | convert HA descriptors and Knox topologies
  backends     resolve and print every service's live backend list
  register     register a backend as an ephemeral znode until SIGTERM/SIGINT

Run 'hadispatch <command> --help' for a command's options.
`;

/** Runs the CLI with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`hadispatch: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return 0;
  }
  return runReportingErrors(name, () => command.run(rest));
}

/** Runs `fn`, turning our errors into one stderr line and an exit status. */
export async function runReportingErrors(name: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`hadispatch ${name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof HaError) {
      process.stderr.write(`hadispatch ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
