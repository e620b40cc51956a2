/**
 * Passive health: a failed attempt puts its backend into a cool-down (SPEC §4: skipped for new
 * requests unless every backend is down); a success ends it. Time comes from an injected clock.
 * State is keyed by URL; {@link CoolDownTracker.prune} drops URLs that left the snapshot.
 */
import type { Clock } from '../core/index.js';

/** Default cool-down after a failure, ms. */
export const DEFAULT_COOL_DOWN_MS = 30_000;

/** Cool-down state of one service's backends. */
export interface CoolDownTracker {
  /** Starts (or extends) the cool-down of `url` until now + coolDownMs. */
  reportFailure(url: string): void;
  /** Ends the cool-down of `url`, if any. */
  reportSuccess(url: string): void;
  /** End of the cool-down of `url` (epoch ms), or undefined when it is not cooling down at `now`. */
  coolingUntil(url: string, now: number): number | undefined;
  /** Bumped on every change that can alter routing (not on expiry: see `earliestEnd`). */
  readonly version: number;
  /** The earliest end of a running cool-down, or Infinity; routing views must be rebuilt then. */
  earliestEnd(): number;
  /** Forgets every URL not in `keep`, and every expired cool-down. */
  prune(keep: ReadonlyMap<string, unknown>, now: number): void;
}

/** Creates a cool-down tracker. `coolDownMs` ≤ 0 disables cool-downs (failures are then ignored). */
export function createCoolDownTracker(clock: Clock, coolDownMs: number = DEFAULT_COOL_DOWN_MS): CoolDownTracker {
  const until = new Map<string, number>();
  let version = 0;
  return {
    reportFailure(url) {
      if (coolDownMs <= 0) return;
      until.set(url, clock() + coolDownMs);
      version++;
    },
    reportSuccess(url) {
      if (until.size !== 0 && until.delete(url)) version++;
    },
    coolingUntil(url, now) {
      if (until.size === 0) return undefined;
      const end = until.get(url);
      return end !== undefined && end > now ? end : undefined;
    },
    get version() {
      return version;
    },
    earliestEnd() {
      let min = Infinity;
      for (const end of until.values()) if (end < min) min = end;
      return min;
    },
    prune(keep, now) {
      for (const [url, end] of until) {
        if (!keep.has(url) || end <= now) until.delete(url);
      }
    },
  };
}
