/**
 * Canonical backend entries: frozen `{url, znode?}` objects made here and nowhere else, so that a
 * snapshot may share them instead of copying (an unchanged child keeps the same entry object).
 */
import type { BackendEntry } from '../../core/index.js';

const canonical = new WeakSet<BackendEntry>();

/** A frozen entry with exactly `url` (and `znode` when given). */
export function backendEntry(url: string, znode?: string): BackendEntry {
  const entry = Object.freeze(znode === undefined ? { url } : { url, znode });
  canonical.add(entry);
  return entry;
}

/** True when `b` was made by {@link backendEntry} (frozen, no other properties). */
export function isCanonicalEntry(b: BackendEntry): boolean {
  return canonical.has(b);
}
