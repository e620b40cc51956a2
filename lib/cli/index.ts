/**
 * `hadispatch <command>`: dispatches to one command module. Exit status: 0 success, 1 user error
 * (one line on stderr naming the file or flag at fault), 2 bad usage. No stack traces for user errors.
 */
import { HaError, UsageError } from '../core/index.js';
import type { Command } from './commands/types.js';

/** A command with sub-commands may give each its own `--help` text (`hadispatch descriptor set --help`). */
type CommandWithHelp = Command & { helpFor?(argv: readonly string[]): string };

const COMMANDS: Record<string, () => Promise<{ command: CommandWithHelp }>> = {
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
    const help = command.helpFor?.(rest) ?? command.help;
    process.stdout.write(help.endsWith('\n') ? help : help + '\n');
    return 0;
  }
  return runReportingErrors(`hadispatch ${name}`, () => command.run(rest));
}

/**
 * Runs `fn`, turning our errors into one stderr line `PREFIX: message` and an exit status (2 for
 * UsageError, 1 for any other HaError); anything else is a bug and is rethrown. `prefix` names the
 * program and command, e.g. `hadispatch descriptor set`.
 */
export async function runReportingErrors(prefix: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof HaError)) throw err;
    process.stderr.write(errorLine(prefix, err) + '\n');
    return err instanceof UsageError ? 2 : 1;
  }
}

/**
 * `PREFIX: message`, the command named once. Some usage messages still start with their command's
 * name (`serve: unexpected argument "x"`); that word is dropped rather than printed twice. Only
 * usage messages are touched: other messages start with a file name, which may be any word.
 */
export function errorLine(prefix: string, err: HaError): string {
  let message = err.message;
  if (err instanceof UsageError) {
    const words = prefix.split(' ');
    for (let i = 1; i < words.length; i++) {
      const own = `${words.slice(i).join(' ')}: `;
      if (message.startsWith(own)) {
        message = message.slice(own.length);
        break;
      }
    }
  }
  return `${prefix}: ${message}`;
}
