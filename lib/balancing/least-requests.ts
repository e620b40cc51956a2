/**
 * Least requests by the power of two random choices: draw two distinct members of the pool, send
 * the request to the one with fewer requests in flight (ties go to the lower position). Long Hive
 * queries stop piling onto one backend, at O(1) cost per request.
 */
import type { Random } from '../core/index.js';

/**
 * Returns the slot in `pool` to use. `inFlightAt(slot)` gives the in-flight count of `pool[slot]`.
 * A pool of one returns 0; an empty pool returns 0 (callers check the length).
 */
export function pickLeastRequests(length: number, inFlightAt: (slot: number) => number, random: Random): number {
  if (length <= 1) return 0;
  const a = Math.min(length - 1, Math.floor(random() * length));
  // Second draw over the other length-1 slots, so the two are always distinct.
  let b = Math.min(length - 2, Math.floor(random() * (length - 1)));
  if (b >= a) b++;
  const loadA = inFlightAt(a);
  const loadB = inFlightAt(b);
  if (loadA !== loadB) return loadA < loadB ? a : b;
  return a < b ? a : b;
}
