/**
 * When the `--workers` primary restarts a worker that exited (pure: no cluster, no timers).
 * Crashes in quick succession back off exponentially (capped). A worker that dies before it
 * listens is a start-up failure: a broken descriptor, a deleted TLS file or a state dir it cannot
 * write fail every restart alike. While other workers still serve, the primary keeps retrying at
 * the capped delay (a broken file never takes the gateway down, SPEC §3; fixing it heals the
 * slot); once no worker is left and restarts keep failing, it gives up instead of looping forever.
 */

/** Tuning of {@link decideRestart}. */
export interface RestartPolicy {
  /** Delay before the first restart after a stable run. */
  readonly baseDelayMs: number;
  /** Largest delay between restarts. */
  readonly maxDelayMs: number;
  /** A worker that ran at least this long before exiting resets the back-off. */
  readonly stableAfterMs: number;
  /** Consecutive start-up failures (exits before listening) after which, with no worker left, the primary gives up. */
  readonly maxStartupFailures: number;
}

/** The defaults: 1 s, doubling up to 30 s; stable after 10 s; give up after 3 start-up failures. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = Object.freeze({
  baseDelayMs: 1000, maxDelayMs: 30000, stableAfterMs: 10000, maxStartupFailures: 3,
});

/** What the primary remembers between worker exits. */
export interface RestartState {
  /** Exits in a row of workers that ran less than `stableAfterMs`. */
  readonly quickExits: number;
  /** Exits in a row of workers that never listened (reset when a worker listens). */
  readonly startupFailures: number;
}

/** The state before any exit. */
export const INITIAL_RESTART_STATE: RestartState = Object.freeze({ quickExits: 0, startupFailures: 0 });

/** One worker's exit. */
export interface WorkerExit {
  /** True when the worker was listening before it exited. */
  readonly listened: boolean;
  readonly uptimeMs: number;
  /** Workers still running besides this one. */
  readonly othersAlive: number;
}

/** Restart after `delayMs`, or stop restarting. */
export type RestartDecision =
  | { readonly kind: 'restart'; readonly delayMs: number; readonly state: RestartState }
  | { readonly kind: 'give-up'; readonly state: RestartState };

/** Decides what to do about `exit` given the exits before it. */
export function decideRestart(state: RestartState, exit: WorkerExit, policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartDecision {
  const quickExits = exit.uptimeMs < policy.stableAfterMs ? state.quickExits + 1 : 0;
  const startupFailures = exit.listened ? state.startupFailures : state.startupFailures + 1;
  const next: RestartState = Object.freeze({ quickExits, startupFailures });
  if (startupFailures >= policy.maxStartupFailures && exit.othersAlive === 0) return { kind: 'give-up', state: next };
  const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, quickExits - 1));
  return { kind: 'restart', delayMs, state: next };
}

/** A worker listens: the configuration works, start-up failures no longer count. */
export function onWorkerListening(state: RestartState): RestartState {
  return state.startupFailures === 0 ? state : Object.freeze({ ...state, startupFailures: 0 });
}
