/**
 * The sticky cookie: reading it against a snapshot and writing it. A value is one route token
 * (Knox: SHA-256 hex of the backend URL, or our HMAC) or, with ranked routes, the primary's and the
 * backups' tokens joined by `.`. Reading never throws: hostile input costs at most
 * {@link MAX_COOKIE_VALUE_LENGTH} characters and `maxRoutes` token look-ups per cookie.
 */
import type { Clock, SameSite } from '../core/index.js';
import { hexDigit, lookupToken, TOKEN_LENGTH, type BackendIndex } from './backend-index.js';
import { cookieValueAt, findCookie } from './cookie-header.js';

/** Longer values are ignored as garbage (a route token is 64 characters). */
export const MAX_COOKIE_VALUE_LENGTH = 1024;

/** At most this many cookies of our name are examined per request. */
export const MAX_STICKY_COOKIES = 8;

/** The outcome of reading the sticky cookie of one request. */
export type StickyRead =
  | { readonly kind: 'absent' }
  /** `gone`: every token was well-formed but none names a current backend (or passes the key check). */
  | { readonly kind: 'invalid'; readonly gone: boolean }
  | {
      readonly kind: 'valid';
      /** Current backends named by the cookie, rank order, no duplicates. */
      readonly routes: readonly number[];
      /** The cookie's first token did not name a current backend (its primary is gone). */
      readonly primaryLost: boolean;
      /** The cookie must be re-issued even if its primary serves: a token was dropped, signed with an older key or plain Knox while signing, or the route count differs from `targetRoutes`. */
      readonly reissue: boolean;
    };

const ABSENT: StickyRead = Object.freeze({ kind: 'absent' });
const INVALID_GARBAGE: StickyRead = Object.freeze({ kind: 'invalid', gone: false });
const INVALID_GONE: StickyRead = Object.freeze({ kind: 'invalid', gone: true });

/**
 * Reads every cookie named `name` in `header` (in header order) and returns the first valid one.
 * `maxRoutes` (≥ 1) bounds the tokens parsed per value; `targetRoutes` is the length a fresh cookie
 * would have (min(ranked routes, backends)).
 */
export function readStickyCookie(
  header: string | undefined, name: string, index: BackendIndex, maxRoutes: number, targetRoutes: number,
): StickyRead {
  if (header === undefined) return ABSENT;
  let at = findCookie(header, name, 0);
  if (at < 0) return ABSENT;
  let gone = true;
  for (let seen = 0; at >= 0 && seen < MAX_STICKY_COOKIES; seen++) {
    const value = cookieValueAt(header, at);
    const read = parseStickyValue(value, index, maxRoutes, targetRoutes);
    if (read.kind === 'valid') return read;
    if (read.kind === 'invalid' && !read.gone) gone = false;
    at = findCookie(header, name, at);
  }
  return gone ? INVALID_GONE : INVALID_GARBAGE;
}

/** Parses one cookie value (see {@link readStickyCookie}); never throws. */
export function parseStickyValue(value: string, index: BackendIndex, maxRoutes: number, targetRoutes: number): StickyRead {
  if (value.length === 0 || value.length > MAX_COOKIE_VALUE_LENGTH) return INVALID_GARBAGE;
  const routes: number[] = [];
  let reissue = false;
  let primaryLost = false;
  let wellFormed = true;
  let start = 0;
  for (let n = 0; n < maxRoutes; n++) {
    const dot = value.indexOf('.', start);
    const end = dot < 0 ? value.length : dot;
    const hit = lookupToken(index, value, start, end);
    if (hit !== undefined && !routes.includes(hit.index)) {
      routes.push(hit.index);
      if (hit.rank !== 0) reissue = true;
    } else {
      reissue = true;
      if (n === 0) primaryLost = true;
      if (hit === undefined && !isHexToken(value, start, end)) wellFormed = false;
    }
    if (dot < 0) break;
    start = dot + 1;
    if (n === maxRoutes - 1) reissue = true; // more routes than we carry: re-issue shorter
  }
  if (routes.length === 0) return wellFormed ? INVALID_GONE : INVALID_GARBAGE;
  if (routes.length !== targetRoutes) reissue = true;
  return { kind: 'valid', routes, primaryLost, reissue };
}

function isHexToken(value: string, start: number, end: number): boolean {
  if (end - start !== TOKEN_LENGTH) return false;
  for (let i = start; i < end; i++) if (hexDigit(value.charCodeAt(i)) < 0) return false;
  return true;
}

/** Attributes of the Set-Cookie header. */
export interface SetCookieOptions {
  readonly name: string;
  readonly path: string;
  /** The gateway serves TLS. SameSite=None forces Secure regardless. */
  readonly secure: boolean;
  /** Seconds; adds `Max-Age` and `Expires` (IMF-fixdate from `clock`). */
  readonly maxAgeSeconds: number | undefined;
  readonly sameSite: SameSite | undefined;
  readonly clock: Clock;
}

/**
 * Returns a function building the Set-Cookie value for a cookie value:
 * `NAME=VALUE; Path=P; HttpOnly[; Secure][; Max-Age=N; Expires=DATE][; SameSite=X]`.
 * Everything but `Expires` is precomputed.
 */
export function createSetCookieBuilder(o: SetCookieOptions): (value: string) => string {
  const head = `${o.name}=`;
  const secure = o.secure || o.sameSite === 'None' ? '; Secure' : '';
  const fixed = `; Path=${o.path}; HttpOnly${secure}`;
  const sameSite = o.sameSite === undefined ? '' : `; SameSite=${o.sameSite}`;
  const maxAge = o.maxAgeSeconds;
  if (maxAge === undefined) return (value) => head + value + fixed + sameSite;
  const maxAgeAttr = `; Max-Age=${maxAge}; Expires=`;
  return (value) => head + value + fixed + maxAgeAttr + new Date(o.clock() + maxAge * 1000).toUTCString() + sameSite;
}

/**
 * Returns `(index, position) → Set-Cookie` for one-route cookies. Without Max-Age the header never
 * changes for a backend, so it is built once per snapshot index and position (the sticky-insert
 * hot path then builds no string); with Max-Age (an `Expires` date) it is built every time.
 */
export function createSingleRouteCookies(
  build: (value: string) => string, maxAgeSeconds: number | undefined,
): (index: BackendIndex, position: number) => string {
  if (maxAgeSeconds !== undefined) return (index, position) => build(index.issueTokens[position] ?? '');
  let forIndex: BackendIndex | undefined;
  let headers: (string | undefined)[] = [];
  return (index, position) => {
    if (index !== forIndex) {
      forIndex = index;
      headers = new Array<string | undefined>(index.urls.length);
    }
    return headers[position] ??= build(index.issueTokens[position] ?? '');
  };
}
