/** A seeded PRNG (mulberry32) so that a failing fuzz/hostile run can be replayed with CHAOS_SEED. */
import { seededRandom } from '../../../test/helpers/seeded-random.js';

export type Rng = () => number;

export function seedFromEnv(): number {
  const s = Number(process.env['CHAOS_SEED']);
  return Number.isFinite(s) && s > 0 ? s : (Date.now() % 2147483647) || 1;
}

export const makeRng: (seed: number) => Rng = seededRandom;

export const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[int(rng, items.length)] as T;
}

/** `n` characters from `alphabet`. */
export function randomString(rng: Rng, n: number, alphabet: string): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[int(rng, alphabet.length)];
  return s;
}

/** Visible ASCII allowed in a header value (no control characters). */
export const HEADER_CHARS = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('').replace(/[\\]/g, '');
export const HEX = '0123456789abcdef';
