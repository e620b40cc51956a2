/**
 * The routing view of one snapshot: which positions are eligible for new requests (up, not
 * draining), draining-but-live, or cooling down. Cached until the snapshot, a cool-down or a
 * draining flag changes, or the earliest cool-down ends, so per-request work never scans the list.
 */
import type { Clock } from '../core/index.js';
import type { BackendIndex } from './backend-index.js';
import type { CoolDownTracker } from './health.js';
import type { BackendState } from './backend-state.js';

/** Routing class of a position. */
export const ELIGIBLE = 0;
export const DRAINING = 1;
export const COOLING = 2;

/** Positions by routing class, each in list order. Immutable. */
export interface HealthView {
  readonly index: BackendIndex;
  /** Up and not draining: gets new requests. */
  readonly eligible: readonly number[];
  /** Up but draining: keeps sticky sessions; new requests only when nothing eligible is left. */
  readonly draining: readonly number[];
  /** Cooling down after a failure (draining or not): used only when nothing else is up. */
  readonly cooling: readonly number[];
  /** Class per position: ELIGIBLE, DRAINING or COOLING. */
  readonly classOf: Uint8Array;
}

/** Returns the current view of an index. */
export type HealthViewCache = (index: BackendIndex) => HealthView;

/**
 * Creates the view cache of one service. Whenever it rebuilds the view it prunes expired cool-downs
 * and the health and draining state of URLs no longer listed (state never leaks for departed
 * backends). One balancer serves one role, so "not in this snapshot" means "gone".
 */
export function createHealthViewCache(clock: Clock, health: CoolDownTracker, state: BackendState): HealthViewCache {
  let view: HealthView | undefined;
  let healthVersion = -1;
  let stateVersion = -1;
  let validUntil = Infinity;
  return (index) => {
    if (view !== undefined && view.index === index && healthVersion === health.version
      && stateVersion === state.version && (validUntil === Infinity || clock() < validUntil)) return view;
    const now = clock();
    // Expired cool-downs and URLs that left the list are dropped here, so state never leaks.
    health.prune(index.byUrl, now);
    state.prune(index.byUrl);
    view = computeHealthView(index, health, state, now);
    healthVersion = health.version;
    stateVersion = state.version;
    validUntil = health.earliestEnd();
    return view;
  };
}

/** Classifies every position of `index` at time `now`. */
export function computeHealthView(index: BackendIndex, health: CoolDownTracker, state: BackendState, now: number): HealthView {
  const eligible: number[] = [];
  const draining: number[] = [];
  const cooling: number[] = [];
  const classOf = new Uint8Array(index.urls.length);
  index.urls.forEach((url, i) => {
    if (health.coolingUntil(url, now) !== undefined) {
      classOf[i] = COOLING;
      cooling.push(i);
    } else if (state.isDraining(url)) {
      classOf[i] = DRAINING;
      draining.push(i);
    } else {
      eligible.push(i);
    }
  });
  return Object.freeze({ index, eligible, draining, cooling, classOf });
}
