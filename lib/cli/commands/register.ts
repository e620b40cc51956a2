/** `hadispatch register` (placeholder until its issue lands: reports that it is not available yet). */
import type { Command } from './types.js';

export const command: Command = {
  summary: 'register',
  help: 'usage: hadispatch register (not available yet)',
  async run() {
    process.stderr.write('hadispatch register: not available yet\n');
    return 1;
  },
};
