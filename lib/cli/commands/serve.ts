/** `hadispatch serve` (placeholder until its issue lands: reports that it is not available yet). */
import type { Command } from './types.js';

export const command: Command = {
  summary: 'serve',
  help: 'usage: hadispatch serve (not available yet)',
  async run() {
    process.stderr.write('hadispatch serve: not available yet\n');
    return 1;
  },
};
