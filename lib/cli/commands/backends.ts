/** `hadispatch backends` (placeholder until its issue lands: reports that it is not available yet). */
import type { Command } from './types.js';

export const command: Command = {
  summary: 'backends',
  help: 'usage: hadispatch backends (not available yet)',
  async run() {
    process.stderr.write('hadispatch backends: not available yet\n');
    return 1;
  },
};
