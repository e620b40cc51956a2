/**
 * Route tokens: what one ranked route of a sticky cookie looks like for one backend. Without keys a
 * token is Knox's plain SHA-256 hex of the URL. With keys (`serve --sticky-key-file`) a token is the
 * HMAC-SHA256 hex of the URL under `keys[0]`; tokens under older keys are still accepted (rotation)
 * and plain Knox hashes only with `acceptKnoxCookies`. Nobody without a key can compute a token.
 */
import type { StickyKeys } from './types.js';
import { hmacSha256Hex, sha256Hex } from './hash.js';

/** `rank` 0: the token we issue today. > 0: accepted but re-issued (older key, or a Knox hash while signing). */
export interface AcceptedToken {
  readonly token: string;
  readonly rank: number;
}

/** The tokens of one backend URL. */
export interface RouteTokens {
  /** The token new cookies carry. */
  readonly issue: string;
  /** Every token that names this backend, the issued one first (rank 0). */
  readonly accepted: readonly AcceptedToken[];
}

/**
 * Computes the tokens of `url`. Invariants: `accepted[0].token === issue` with rank 0; with keys,
 * the plain SHA-256 appears only when `acceptKnoxCookies` is set. Duplicate keys are harmless.
 */
export function computeRouteTokens(url: string, keys: StickyKeys | undefined): RouteTokens {
  const first = keys?.keys[0];
  if (keys === undefined || first === undefined) {
    const plain = sha256Hex(url);
    return { issue: plain, accepted: [{ token: plain, rank: 0 }] };
  }
  const accepted: AcceptedToken[] = keys.keys.map((key, i) => ({ token: hmacSha256Hex(key, url), rank: i }));
  if (keys.acceptKnoxCookies) accepted.push({ token: sha256Hex(url), rank: keys.keys.length });
  return { issue: accepted[0]?.token ?? hmacSha256Hex(first, url), accepted };
}
