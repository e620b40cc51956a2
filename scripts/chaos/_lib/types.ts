/** Shapes shared by the chaos runner and its scenarios (issue #7). */

/** Options every scenario gets. `quick`: the shortened form `npm test` runs (seconds, not minutes). */
export interface ScenarioOptions {
  readonly quick: boolean;
}

/** The figures one scenario reports, plus its verdict. */
export interface ScenarioResult {
  readonly name: string;
  /** Requests the load generator(s) sent (including raw hostile ones). */
  readonly sent: number;
  /** Client-visible failures by kind: `502`, `504`, `ECONNRESET`, `timeout`, `lost`, ... (empty: none). */
  readonly errors: Readonly<Record<string, number>>;
  /** Requests that reached a backend after it was killed, deregistered or removed. */
  readonly goneHits: number;
  /** Time from the fault (or the heal) to normal service, ms; undefined when not applicable. */
  readonly recoverMs: number | undefined;
  /** Scenario-specific figures, printed in the notes column. */
  readonly notes: readonly string[];
  readonly passed: boolean;
  /** Why it failed (empty when passed). */
  readonly failures: readonly string[];
}

/** One fault-injection scenario. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(opts: ScenarioOptions): Promise<ScenarioResult>;
}
