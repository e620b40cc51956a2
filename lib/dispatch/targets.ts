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
  /** `scheme://host[:port]` as the WHATWG URL parser normalises it. */
  readonly origin: string;
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
  return { url, origin: parsed.origin, basePath, cache: { pool: undefined, requests: undefined, draining: undefined } };
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
    if (!startsWithIgnoreCase(location, target.origin)) continue;
    const afterOrigin = location.slice(target.origin.length);
    if (afterOrigin !== '' && afterOrigin[0] !== '/' && afterOrigin[0] !== '?' && afterOrigin[0] !== '#') continue;
    if (!afterOrigin.startsWith(target.basePath)) continue;
    const rest = afterOrigin.slice(target.basePath.length);
    if (rest === '' || rest[0] === '/' || rest[0] === '?' || rest[0] === '#') return { target, rest };
  }
  return undefined;
}

function startsWithIgnoreCase(value: string, prefix: string): boolean {
  return value.length >= prefix.length && value.slice(0, prefix.length).toLowerCase() === prefix;
}
