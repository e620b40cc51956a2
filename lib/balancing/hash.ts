/**
 * Hash primitives of the balancer. SHA-256 and HMAC-SHA256 (node:crypto) name backends in sticky
 * cookies; FNV-1a and the MurmurHash3 finaliser are the fast, allocation-free 32-bit hashes used for
 * rendezvous scores. All functions are pure and give the same result on every gateway instance.
 */
import { createHash, createHmac } from 'node:crypto';

/** Lower-case hex SHA-256 of `text` (UTF-8): Knox's sticky cookie value of a backend URL. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Lower-case hex HMAC-SHA256 of `text` (UTF-8) under `key`: a signed route token (64 hex chars). */
export function hmacSha256Hex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`; unsigned. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3's 32-bit finaliser: a bijection with full avalanche; unsigned. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a rendezvous key (client IP or header value), well mixed in all 32 bits. */
export function hashKey(key: string): number {
  return fmix32(fnv1a32(key));
}

/**
 * Rendezvous (highest-random-weight) score of one key on one backend, a 53-bit integer. The backend
 * is represented by two 32-bit seeds precomputed from its URL; the score depends only on the key and
 * that backend, never on the other backends, which is what makes HRW stable under list changes.
 */
export function rendezvousScore(keyHash: number, seedA: number, seedB: number): number {
  const hi = fmix32(keyHash ^ seedA);
  const lo = fmix32(Math.imul(hi, 0x9e3779b1) ^ seedB ^ keyHash);
  return hi * 2097152 + (lo >>> 11);
}
