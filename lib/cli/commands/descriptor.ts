/** `hadispatch descriptor` (placeholder until its issue lands: reports that it is not available yet). */
import type { Command } from './types.js';

export const command: Command = {
  summary: 'descriptor',
  help: 'usage: hadispatch descriptor (not available yet)',
  async run() {
    process.stderr.write('hadispatch descriptor: not available yet\n');
    return 1;
  },
};
