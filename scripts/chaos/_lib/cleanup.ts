/** A LIFO list of teardown steps; `run()` runs every one (errors swallowed) so a scenario always cleans up. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /** A temporary folder removed at cleanup. */
  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `had-chaos-${prefix}-`));
    this.add(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop();
      try { await step?.(); } catch { /* best effort */ }
    }
  }
}
