/**
 * Round robin (Knox KNOX-3041: atomic pick-and-advance). JavaScript runs one request's `plan()` to
 * completion before the next, so a single counter gives each request its own slot: every `next()`
 * advances exactly once, and concurrent requests never pile onto one backend.
 */

/** A rotating cursor over a pool whose length may change between calls. */
export interface RoundRobin {
  /** The slot (0 ≤ slot < length) for this request, advancing the cursor once. 0 when length is 0. */
  next(length: number): number;
  /** The slot `next` would return, without advancing (ordering extra failover candidates). */
  peek(length: number): number;
}

/** Creates a cursor starting at slot 0, so a static list is served b1, b2, b3, b1, … */
export function createRoundRobin(): RoundRobin {
  let cursor = 0;
  return {
    next(length) {
      if (length <= 0) return 0;
      const slot = cursor % length;
      // Keep the counter small (and exact) without disturbing the order for a stable length.
      cursor = slot + 1;
      return slot;
    },
    peek(length) {
      return length <= 0 ? 0 : cursor % length;
    },
  };
}
