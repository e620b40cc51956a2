/**
 * Rendezvous (highest-random-weight) hashing for cookieless affinity (`cookielessAffinity` =
 * `client-ip` or `header:NAME`). Every backend gets a score from (key, backend); the key goes to the
 * highest score and fails over in descending score order. Scores depend only on the key and the
 * backend's URL, so every gateway instance agrees, and removing a backend moves only the keys that
 * were on it. Cost: O(backends × limit) per call, with precomputed per-backend seeds.
 */
import { hashKey, rendezvousScore } from './hash.js';

/**
 * Appends to `out` the members of `pool` (positions) not already in `out`, highest score first,
 * until `out` has `limit` entries. Equal scores (p ≈ 2⁻⁵³) are ordered by URL so the order never
 * depends on list order.
 */
export function appendByRendezvous(
  key: string,
  pool: readonly number[],
  seeds: Uint32Array,
  urls: readonly string[],
  limit: number,
  out: number[],
): void {
  const want = limit - out.length;
  if (want <= 0 || pool.length === 0) return;
  const keyHash = hashKey(key);
  const best: number[] = [];
  const scores: number[] = [];
  for (const pos of pool) {
    if (out.includes(pos)) continue;
    const score = rendezvousScore(keyHash, seeds[2 * pos] ?? 0, seeds[2 * pos + 1] ?? 0);
    let at = best.length;
    while (at > 0 && isBetter(score, pos, scores[at - 1] ?? 0, best[at - 1] ?? 0, urls)) at--;
    if (at >= want) continue;
    best.splice(at, 0, pos);
    scores.splice(at, 0, score);
    if (best.length > want) {
      best.pop();
      scores.pop();
    }
  }
  for (const pos of best) out.push(pos);
}

function isBetter(score: number, pos: number, otherScore: number, other: number, urls: readonly string[]): boolean {
  if (score !== otherScore) return score > otherScore;
  return (urls[pos] ?? '') < (urls[other] ?? '');
}
