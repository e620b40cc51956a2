/**
 * Keep-alive connection pools shared by every service: one undici `Pool` per backend origin and
 * connect timeout (the connect timeout is a per-service setting, so two services with different
 * timeouts on the same origin get two pools). Pools unused for a whole sweep interval are closed
 * lazily; `close()` closes them all.
 */
import { Pool } from 'undici';
import type { UpstreamPools } from './types.js';
import type { Target } from './targets.js';

/** Options of {@link createUpstreamPools}. */
export interface UpstreamPoolsOptions {
  /** How often pools that served nothing since the last sweep are closed, ms (default 60000; 0 = never). */
  readonly idleSweepMs?: number;
  /** Idle keep-alive socket timeout, ms (default 4000; undici also honours the backend's Keep-Alive hint). */
  readonly keepAliveTimeoutMs?: number;
  /** Max connections per origin (default unlimited). */
  readonly connections?: number;
}

interface PoolEntry {
  readonly pool: Pool;
  readonly connectTimeoutMs: number;
  used: boolean;
  /** Swept or closed: a target that cached this entry must look its pool up again. */
  closed: boolean;
}

/** Internal view of the pools: dispatch resolves a pool per attempt through it. */
export interface PoolRegistry {
  /** The pool for `origin` with `connectTimeoutMs`, created on first use. */
  get(origin: string, connectTimeoutMs: number): Pool;
  /** The same for `target.origin`, cached on the target (no key string built per attempt). */
  forTarget(target: Target, connectTimeoutMs: number): Pool;
}

const registries = new WeakMap<UpstreamPools, PoolRegistry>();

/**
 * Creates the shared upstream pools. Requests are never pipelined (one request per connection at a
 * time), so a slow response never blocks another request.
 */
export function createUpstreamPools(options: UpstreamPoolsOptions = {}): UpstreamPools {
  const entries = new Map<string, PoolEntry>();
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? 4000;
  let closed = false;

  const entryFor = (origin: string, connectTimeoutMs: number): PoolEntry => {
    const key = `${connectTimeoutMs} ${origin}`;
    let entry = entries.get(key);
    if (entry === undefined) {
      if (closed) throw Object.assign(new Error('upstream pools are closed'), { code: 'UND_ERR_CLOSED' });
      const pool = new Pool(origin, {
        pipelining: 1,
        keepAliveTimeout,
        connect: { timeout: connectTimeoutMs },
        ...(options.connections === undefined ? {} : { connections: options.connections }),
      });
      entry = { pool, connectTimeoutMs, used: true, closed: false };
      entries.set(key, entry);
    }
    entry.used = true;
    return entry;
  };
  const registry: PoolRegistry = {
    get: (origin, connectTimeoutMs) => entryFor(origin, connectTimeoutMs).pool,
    forTarget(target, connectTimeoutMs) {
      const cached = target.cache.pool as PoolEntry | undefined;
      if (cached !== undefined && !cached.closed && cached.connectTimeoutMs === connectTimeoutMs) {
        cached.used = true;
        return cached.pool;
      }
      const entry = entryFor(target.origin, connectTimeoutMs);
      target.cache.pool = entry;
      return entry.pool;
    },
  };

  const sweepMs = options.idleSweepMs ?? 60000;
  const timer = sweepMs > 0 ? setInterval(() => { sweep(entries); }, sweepMs) : undefined;
  timer?.unref();

  const pools: UpstreamPools = {
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      const all = [...entries.values()];
      for (const e of all) e.closed = true;
      entries.clear();
      await Promise.all(all.map((e) => e.pool.destroy().catch(() => undefined)));
    },
  };
  registries.set(pools, registry);
  return pools;
}

function sweep(entries: Map<string, PoolEntry>): void {
  for (const [key, entry] of entries) {
    if (entry.used) { entry.used = false; continue; }
    const stats = entry.pool.stats;
    if (stats.running > 0 || stats.pending > 0) continue;
    entries.delete(key);
    entry.closed = true;
    entry.pool.close().catch(() => undefined);
  }
}

/** The registry behind pools made by {@link createUpstreamPools}; throws for foreign objects. */
export function poolRegistryOf(pools: UpstreamPools): PoolRegistry {
  const registry = registries.get(pools);
  if (registry === undefined) throw new TypeError('UpstreamPools must come from createUpstreamPools()');
  return registry;
}
