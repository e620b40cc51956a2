/** Collects the figures and failed checks of one scenario run into a {@link ScenarioResult}. */
import type { ScenarioResult } from './types.js';

/** A mutable accumulator a scenario fills in while it runs. */
export class Verdict {
  sent = 0;
  goneHits = 0;
  recoverMs: number | undefined;
  readonly errors: Record<string, number> = {};
  readonly notes: string[] = [];
  readonly failures: string[] = [];

  constructor(readonly name: string) {}

  /** Records a failed check unless `ok`. */
  check(ok: boolean, message: string): void {
    if (!ok) this.failures.push(message);
  }

  /** Adds error counts (by kind) to the totals. */
  addErrors(errors: Readonly<Record<string, number>>, prefix = ''): void {
    for (const [kind, n] of Object.entries(errors)) {
      if (n > 0) this.errors[prefix + kind] = (this.errors[prefix + kind] ?? 0) + n;
    }
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Turns an exception thrown by the scenario into a failure. */
  crash(err: unknown): void {
    this.failures.push(`scenario crashed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }

  result(): ScenarioResult {
    return {
      name: this.name,
      sent: this.sent,
      errors: { ...this.errors },
      goneHits: this.goneHits,
      recoverMs: this.recoverMs,
      notes: [...this.notes],
      passed: this.failures.length === 0,
      failures: [...this.failures],
    };
  }
}

/** Sum of the values of a count record. */
export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
