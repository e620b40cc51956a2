/** Uniform random choice (Karaf Cellar's `random` policy). */
import type { Random } from '../core/index.js';

/** A uniform slot in [0, length); 0 for an empty pool. Robust to a `random` that returns 1. */
export function pickRandom(length: number, random: Random): number {
  if (length <= 1) return 0;
  return Math.min(length - 1, Math.floor(random() * length));
}
