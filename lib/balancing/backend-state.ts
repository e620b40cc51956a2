/**
 * Mutable per-service backend state besides cool-downs: draining flags, requests in flight and the
 * count of sticky requests that still reach a draining backend. Keyed by URL; draining entries of
 * URLs that left the snapshot are pruned (and handed to the optional {@link RecentlyDrained}, so the
 * `drained` re-assignment cause survives the removal); in-flight counts stay at 0 between requests
 * (no Map insert and delete per request) and are pruned with the URLs that left the snapshot.
 */
import type { RecentlyDrained } from './recently-drained.js';

/** Draining, in-flight and draining-session counters of one service. */
export interface BackendState {
  begin(url: string): void;
  /** Never goes below 0 (an `end` without `begin` is ignored). */
  end(url: string): void;
  inFlight(url: string): number;
  setDraining(url: string, draining: boolean): void;
  isDraining(url: string): boolean;
  /** Counts one sticky request routed to draining `url` (requests, not distinct sessions). */
  countDrainingSession(url: string): void;
  drainingSessions(url: string): number;
  /** Bumped whenever draining changes (routing views depend on it). */
  readonly version: number;
  /** Forgets draining state of every URL not in `keep` (remembering it in `recent`, if given). */
  prune(keep: ReadonlyMap<string, unknown>): void;
}

/** Creates an empty {@link BackendState}; drained URLs that leave the list go to `recent`. */
export function createBackendState(recent?: RecentlyDrained): BackendState {
  // A mutable count per URL: begin/end look the URL up once and never insert or delete per request.
  const inFlight = new Map<string, { n: number }>();
  const draining = new Map<string, number>(); // url → sticky sessions seen while draining
  let version = 0;
  return {
    begin(url) {
      const count = inFlight.get(url);
      if (count !== undefined) count.n++;
      else inFlight.set(url, { n: 1 });
    },
    end(url) {
      const count = inFlight.get(url);
      if (count !== undefined && count.n > 0) count.n--;
    },
    inFlight: (url) => inFlight.get(url)?.n ?? 0,
    setDraining(url, on) {
      if (on === draining.has(url)) return;
      if (on) draining.set(url, 0);
      else draining.delete(url);
      version++;
    },
    isDraining: (url) => draining.size !== 0 && draining.has(url),
    countDrainingSession(url) {
      const n = draining.get(url);
      if (n !== undefined) draining.set(url, n + 1);
    },
    drainingSessions: (url) => draining.get(url) ?? 0,
    get version() {
      return version;
    },
    prune(keep) {
      if (recent !== undefined && recent.size !== 0) recent.forgetListed(keep);
      for (const [url, count] of inFlight) if (count.n === 0 && !keep.has(url)) inFlight.delete(url);
      for (const url of draining.keys()) {
        if (!keep.has(url)) {
          draining.delete(url);
          recent?.remember(url);
          version++;
        }
      }
    },
  };
}
