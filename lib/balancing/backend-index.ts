/**
 * Per-snapshot precomputed data: URL ↔ position, route tokens and rendezvous seeds. Computed once
 * per Snapshot object and cached in a WeakMap keyed by it, so per-request work never hashes a URL
 * and a replaced snapshot is garbage-collected with its index.
 */
import type { Snapshot } from '../core/index.js';
import type { StickyKeys } from './types.js';
import { computeRouteTokens } from './cookie-signing.js';

/** What a cookie token resolves to: the backend position and the token's rank (0 = current). */
export interface TokenHit {
  readonly index: number;
  readonly rank: number;
}

/** Precomputed, frozen view of one snapshot. Positions are indices into `urls` (list order). */
export interface BackendIndex {
  readonly snapshot: Snapshot;
  readonly urls: readonly string[];
  readonly byUrl: ReadonlyMap<string, number>;
  /** Token → backend for every accepted token (every key, plus Knox hashes when accepted). */
  readonly byToken: ReadonlyMap<string, TokenHit>;
  /** Token new cookies carry, per position. */
  readonly issueTokens: readonly string[];
  /** Rendezvous seeds: `seeds[2i]`, `seeds[2i+1]` for position i (from the URL's SHA-256). */
  readonly seeds: Uint32Array;
}

/** Returns the (cached) index of a snapshot. */
export type BackendIndexCache = (snapshot: Snapshot) => BackendIndex;

/**
 * Creates a cache of {@link BackendIndex} per Snapshot object for one key set. A URL listed twice
 * keeps its first position (tokens name URLs, so duplicates are indistinguishable anyway).
 */
export function createBackendIndexCache(keys: StickyKeys | undefined): BackendIndexCache {
  const cache = new WeakMap<Snapshot, BackendIndex>();
  return (snapshot) => {
    let index = cache.get(snapshot);
    if (index === undefined) {
      index = buildBackendIndex(snapshot, keys);
      cache.set(snapshot, index);
    }
    return index;
  };
}

/** Builds the index of `snapshot` (O(backends × keys) hashes). */
export function buildBackendIndex(snapshot: Snapshot, keys: StickyKeys | undefined): BackendIndex {
  const urls = Object.freeze(snapshot.backends.map((b) => b.url));
  const byUrl = new Map<string, number>();
  const byToken = new Map<string, TokenHit>();
  const issueTokens: string[] = [];
  const seeds = new Uint32Array(urls.length * 2);
  urls.forEach((url, i) => {
    if (!byUrl.has(url)) byUrl.set(url, i);
    const tokens = computeRouteTokens(url, keys);
    issueTokens.push(tokens.issue);
    for (const t of tokens.accepted) if (!byToken.has(t.token)) byToken.set(t.token, { index: i, rank: t.rank });
    const plain = keys === undefined ? tokens.issue : computeRouteTokens(url, undefined).issue;
    seeds[2 * i] = Number.parseInt(plain.slice(0, 8), 16);
    seeds[2 * i + 1] = Number.parseInt(plain.slice(8, 16), 16);
  });
  return Object.freeze({ snapshot, urls, byUrl, byToken, issueTokens: Object.freeze(issueTokens), seeds });
}

/** The URLs of `positions` of `index`, in order (a fresh array: it becomes a plan's candidates). */
export function toUrls(index: BackendIndex, positions: readonly number[]): string[] {
  const urls = new Array<string>(positions.length);
  for (let i = 0; i < positions.length; i++) urls[i] = index.urls[positions[i] ?? -1] ?? '';
  return urls;
}
