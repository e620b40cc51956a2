/**
 * Backend URLs parsed once per snapshot (never per request): origin, base path, and the per-backend
 * metric children. Tables live in a WeakMap keyed by the Snapshot object, so a replaced snapshot's
 * table goes away with it.
 */
import type { Snapshot } from '../core/index.js';

/** One backend of a snapshot, parsed. */
export interface Target {
  /** The URL exactly as listed (sticky cookie hashes and balancer calls use this). */
  readonly url: string;
  /** `scheme://host[:port]` as the WHATWG URL parser normalises it (a default port left out). */
  readonly origin: string;
  /** The origin with its default port spelt out (`http://h:80`), when the origin has none. */
  readonly portedOrigin: string | undefined;
  /** Path prefix without a trailing slash ('' for the root). */
  readonly basePath: string;
  /** Per-backend caches of the dispatch modules, filled on first use (plain fields: read per request). */
  readonly cache: TargetCache;
}

/** What dispatch caches per backend; each module owns one field and knows its type. */
export interface TargetCache {
  /** pools.ts: the pool entry of this backend. */
  pool: unknown;
  /** dispatch-metrics.ts: request counters by status class. */
  requests: unknown;
  /** dispatch-metrics.ts: the draining-sessions counter. */
  draining: unknown;
}

/** All backends of one snapshot, by listed URL, in snapshot order. */
export interface TargetTable {
  readonly byUrl: ReadonlyMap<string, Target>;
  readonly list: readonly Target[];
  /** The same targets, longest base path first (for Location matching). */
  readonly byLongestBase: readonly Target[];
}

/** Parses one backend URL; an unparsable URL gives undefined (it is skipped, never crashes a request). */
export function parseTarget(url: string): Target | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  let basePath = parsed.pathname;
  while (basePath.endsWith('/')) basePath = basePath.slice(0, -1);
  const portedOrigin = parsed.port === '' ? `${parsed.origin}:${parsed.protocol === 'https:' ? 443 : 80}` : undefined;
  return { url, origin: parsed.origin, portedOrigin, basePath, cache: { pool: undefined, requests: undefined, draining: undefined } };
}

/** Creates a per-dispatcher cache of parsed snapshots. */
export function createTargetCache(): (snapshot: Snapshot) => TargetTable {
  const tables = new WeakMap<Snapshot, TargetTable>();
  // The snapshot in force is the same object for request after request: skip the WeakMap then.
  let lastSnapshot: Snapshot | undefined;
  let lastTable: TargetTable | undefined;
  return (snapshot) => {
    if (snapshot === lastSnapshot && lastTable !== undefined) return lastTable;
    let table = tables.get(snapshot);
    if (table === undefined) {
      const byUrl = new Map<string, Target>();
      const list: Target[] = [];
      for (const backend of snapshot.backends) {
        const target = parseTarget(backend.url);
        if (target === undefined || byUrl.has(backend.url)) continue;
        byUrl.set(backend.url, target);
        list.push(target);
      }
      const byLongestBase = [...list].sort((a, b) => b.basePath.length - a.basePath.length);
      table = { byUrl, list, byLongestBase };
      tables.set(snapshot, table);
    }
    lastSnapshot = snapshot;
    lastTable = table;
    return table;
  };
}

/** The upstream request path: base path + rest (no double slash), '/' when both are empty, + query. */
export function upstreamPath(target: Target, rest: string, search: string): string {
  const path = target.basePath + rest;
  return (path === '' ? '/' : path) + search;
}

/**
 * When `location` points at one of `targets` (same origin, under its base path), returns the part
 * after the base path (path rest, query and fragment), else undefined.
 */
export function matchBackendLocation(location: string, targets: readonly Target[]): string | undefined {
  return locateBackend(location, targets)?.rest;
}

/** The backend `location` points at (same origin, under its base path) and the part after its base path. */
export function locateBackend(location: string, targets: readonly Target[]): { target: Target; rest: string } | undefined {
  for (const target of targets) {
    const originLength = originLengthIn(location, target);
    if (originLength < 0) continue;
    const afterOrigin = location.slice(originLength);
    if (!afterOrigin.startsWith(target.basePath)) continue;
    if (endsOrigin(afterOrigin, target.basePath.length)) return { target, rest: afterOrigin.slice(target.basePath.length) };
  }
  return undefined;
}

/**
 * How long the backend's origin is at the start of `location` (`http://h:80` counts as `http://h`),
 * or -1 when `location` is not on that origin.
 */
function originLengthIn(location: string, target: Target): number {
  const ported = target.portedOrigin;
  if (ported !== undefined && startsWithIgnoreCase(location, ported) && endsOrigin(location, ported.length)) return ported.length;
  return startsWithIgnoreCase(location, target.origin) && endsOrigin(location, target.origin.length) ? target.origin.length : -1;
}

/** A URL prefix of `location` ends at `at` (a path, query or fragment follows, or nothing). */
function endsOrigin(location: string, at: number): boolean {
  const c = location[at];
  return c === undefined || c === '/' || c === '?' || c === '#';
}

function startsWithIgnoreCase(value: string, prefix: string): boolean {
  return value.length >= prefix.length && value.slice(0, prefix.length).toLowerCase() === prefix;
}
