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
  readonly token: string;
  readonly index: number;
  readonly rank: number;
}

/** Length of every route token (hex SHA-256 / HMAC-SHA256). */
export const TOKEN_LENGTH = 64;

/** Hex digits of the look-up prefix: 7 digits = 28 bits, a small integer (fast Map key) in V8. */
const PREFIX_DIGITS = 7;

/** Precomputed, frozen view of one snapshot. Positions are indices into `urls` (list order). */
export interface BackendIndex {
  readonly snapshot: Snapshot;
  readonly urls: readonly string[];
  readonly byUrl: ReadonlyMap<string, number>;
  /**
   * Every accepted token (every key, plus Knox hashes when accepted) by the number its first
   * {@link PREFIX_DIGITS} hex digits spell, so a look-up hashes no string (see {@link lookupToken}).
   */
  readonly byPrefix: ReadonlyMap<number, readonly TokenHit[]>;
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
  // Nearly every request asks for the snapshot in force: remember the last answer.
  let lastSnapshot: Snapshot | undefined;
  let lastIndex: BackendIndex | undefined;
  return (snapshot) => {
    if (snapshot === lastSnapshot && lastIndex !== undefined) return lastIndex;
    let index = cache.get(snapshot);
    if (index === undefined) {
      index = buildBackendIndex(snapshot, keys);
      cache.set(snapshot, index);
    }
    lastSnapshot = snapshot;
    lastIndex = index;
    return index;
  };
}

/** Builds the index of `snapshot` (O(backends × keys) hashes). */
export function buildBackendIndex(snapshot: Snapshot, keys: StickyKeys | undefined): BackendIndex {
  const urls = Object.freeze(snapshot.backends.map((b) => b.url));
  const byUrl = new Map<string, number>();
  const byPrefix = new Map<number, TokenHit[]>();
  const issueTokens: string[] = [];
  const seeds = new Uint32Array(urls.length * 2);
  urls.forEach((url, i) => {
    if (!byUrl.has(url)) byUrl.set(url, i);
    const tokens = computeRouteTokens(url, keys);
    issueTokens.push(tokens.issue);
    for (const t of tokens.accepted) addToken(byPrefix, { token: t.token, index: i, rank: t.rank });
    const plain = keys === undefined ? tokens.issue : computeRouteTokens(url, undefined).issue;
    seeds[2 * i] = Number.parseInt(plain.slice(0, 8), 16);
    seeds[2 * i + 1] = Number.parseInt(plain.slice(8, 16), 16);
  });
  return Object.freeze({ snapshot, urls, byUrl, byPrefix, issueTokens: Object.freeze(issueTokens), seeds });
}

/** The URLs of `positions` of `index`, in order (a fresh array: it becomes a plan's candidates). */
export function toUrls(index: BackendIndex, positions: readonly number[]): string[] {
  const urls = new Array<string>(positions.length);
  for (let i = 0; i < positions.length; i++) urls[i] = index.urls[positions[i] ?? -1] ?? '';
  return urls;
}

function addToken(byPrefix: Map<number, TokenHit[]>, hit: TokenHit): void {
  const prefix = Number.parseInt(hit.token.slice(0, PREFIX_DIGITS), 16);
  const list = byPrefix.get(prefix);
  if (list === undefined) byPrefix.set(prefix, [hit]);
  else if (!list.some((h) => h.token === hit.token)) list.push(hit); // first (lowest position) wins
}

/**
 * The backend named by the token `text[start, end)`, or undefined. The first 7 characters are
 * parsed as hex, then the candidates with that prefix are compared (a slice of `text` only when the
 * token is not all of it). Only exact lower-case 64-hex tokens can match.
 */
export function lookupToken(index: BackendIndex, text: string, start: number, end: number): TokenHit | undefined {
  if (end - start !== TOKEN_LENGTH) return undefined;
  let prefix = 0;
  for (let i = start; i < start + PREFIX_DIGITS; i++) {
    const d = hexDigit(text.charCodeAt(i));
    if (d < 0) return undefined;
    prefix = prefix * 16 + d;
  }
  const list = index.byPrefix.get(prefix);
  if (list === undefined) return undefined;
  // Compared with ===, not startsWith: `text` is usually a slice of the Cookie header, and V8's
  // startsWith walks a sliced string character by character (several times slower than ===).
  const token = text.slice(start, end);
  for (let i = 0; i < list.length; i++) {
    const hit = list[i] as TokenHit;
    if (token === hit.token) return hit;
  }
  return undefined;
}

/** Value of a lower-case hex digit, or -1. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
