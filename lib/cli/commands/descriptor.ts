/** `hadispatch descriptor validate | show | set | convert` (SPEC §2). */
import { UsageError } from '../../core/index.js';
import type { Command } from './types.js';
import { runConvert } from './descriptor-convert.js';
import { runSet } from './descriptor-set.js';
import { runShow } from './descriptor-show.js';
import { runValidate } from './descriptor-validate.js';

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

Exit status: 0 ok, 1 invalid file or value (one line on stderr naming it), 2 bad usage.
`;

/** The `descriptor` command. */
export const command: Command = {
  summary: 'validate | show | set | convert HA descriptors and Knox topologies',
  help: HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'validate': return runValidate(rest);
      case 'show': return runShow(rest);
      case 'set': return runSet(rest);
      case 'convert': return runConvert(rest);
      case undefined: throw new UsageError('missing subcommand: validate, show, set or convert');
      default: throw new UsageError(`unknown subcommand "${sub}": expected validate, show, set or convert`);
    }
  },
};
