/** `hadispatch descriptor validate | show | set | convert` (SPEC §2). */
import { UsageError } from '../../core/index.js';
import { runReportingErrors } from '../index.js';
import type { Command } from './types.js';
import { CONVERT_HELP, runConvert } from './descriptor-convert.js';
import { runSet, SET_HELP } from './descriptor-set.js';
import { runShow, SHOW_HELP } from './descriptor-show.js';
import { runValidate, VALIDATE_HELP } from './descriptor-validate.js';

const HELP = `usage: hadispatch descriptor <subcommand> ...

  validate FILE|DIR...               check HA descriptors (<ha>) and Knox topologies (<topology>);
                                     prints file:line:col: error|warning: message lines on stdout and a
                                     summary on stderr; exit 1 if any error (warnings alone: exit 0)
  show FILE [--json]                 each service's effective settings, defaults filled in,
                                     ineffective flags marked
  set FILE SERVICE key=value... [--dry-run]
                                     edit attributes in place (comments and layout kept, atomic write);
                                     key= removes an attribute; a missing SERVICE is added;
                                     --dry-run prints a unified diff and writes nothing
  convert TOPOLOGY.xml [-o FILE]     turn a Knox topology into an HA descriptor (stdout, or FILE
                                     written atomically)

Run 'hadispatch descriptor <subcommand> --help' for one sub-command.
Exit status: 0 ok, 1 invalid file or value (the file's diagnostics on stdout, one summary line on
stderr), 2 bad usage.
`;

type Subcommand = { readonly help: string; readonly run: (argv: readonly string[]) => Promise<number> };

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  validate: { help: VALIDATE_HELP, run: runValidate },
  show: { help: SHOW_HELP, run: runShow },
  set: { help: SET_HELP, run: runSet },
  convert: { help: CONVERT_HELP, run: runConvert },
};

const subcommandOf = (name: string | undefined): Subcommand | undefined =>
  name !== undefined && Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;

/** The `descriptor` command; each sub-command reports its errors as `hadispatch descriptor NAME: …`. */
export const command: Command & { helpFor(argv: readonly string[]): string } = {
  summary: 'validate | show | set | convert HA descriptors and Knox topologies',
  help: HELP,
  helpFor: (argv) => subcommandOf(argv[0])?.help ?? HELP,
  async run(argv) {
    const [name, ...rest] = argv;
    const sub = subcommandOf(name);
    if (sub) return runReportingErrors(`hadispatch descriptor ${name}`, () => sub.run(rest));
    if (name === undefined) throw new UsageError('missing subcommand: validate, show, set or convert');
    throw new UsageError(`unknown subcommand "${name}": expected validate, show, set or convert`);
  },
};
