/**
 * Keep-alive connections shared by every service: per backend origin and connect timeout (a
 * per-service setting, so two services with different timeouts on the same origin get two pools),
 * a set of undici `Client`s, each one connection that carries one request at a time (never
 * pipelined, so a slow response never blocks another request). Idle clients wait on a stack: an
 * attempt takes the one used last (its socket is the warmest) or a new one, and hands it back
 * when its request has ended — constant time, where undici's `Pool` scans its clients for a free
 * one on every request. Pools unused for a whole sweep interval are closed lazily, and the
 * sweep forgets idle clients whose connection has closed; `close()` closes them all.
 */
import { Client, buildConnector } from 'undici';
import type { UpstreamPools } from './types.js';
import type { Target } from './targets.js';

/** Options of {@link createUpstreamPools}. */
export interface UpstreamPoolsOptions {
  /** How often pools that served nothing since the last sweep are closed, ms (default 60000; 0 = never). */
  readonly idleSweepMs?: number;
  /** Idle keep-alive socket timeout, ms (default 4000; undici also honours the backend's Keep-Alive hint). */
  readonly keepAliveTimeoutMs?: number;
}

/** The connections to one origin with one connect timeout. */
export interface OriginPool {
  readonly origin: string;
  readonly connectTimeoutMs: number;
  /**
   * An idle client, or a new one. Throws `UND_ERR_CLOSED` once the pools are closed. The caller
   * dispatches one request on it and hands it back with {@link OriginPool.release} when that
   * request has ended (completed or failed), exactly once.
   */
  acquire(): Client;
  release(client: Client): void;
  /** Clients acquired and not yet released. */
  readonly busy: number;
  /** Clients made so far and not closed. */
  readonly size: number;
}

/** Internal view of the pools: dispatch resolves a pool per attempt through it. */
export interface PoolRegistry {
  /** The pool for `origin` with `connectTimeoutMs`, created on first use. */
  get(origin: string, connectTimeoutMs: number): OriginPool;
  /** The same for `target.origin`, cached on the target (no key string built per attempt). */
  forTarget(target: Target, connectTimeoutMs: number): OriginPool;
}

const registries = new WeakMap<UpstreamPools, PoolRegistry>();

interface PoolEntry extends OriginPool {
  busy: number;
  /** Served something since the last sweep. */
  used: boolean;
  /** Swept or closed: a target that cached this entry must look its pool up again. */
  closed: boolean;
  readonly idle: Client[];
  readonly all: Set<Client>;
}

function closedError(): Error {
  return Object.assign(new Error('upstream pools are closed'), { code: 'UND_ERR_CLOSED' });
}

function createEntry(origin: string, connectTimeoutMs: number, keepAliveTimeout: number): PoolEntry {
  // One connector per pool, as undici's Pool does: its TLS session cache is shared by the clients.
  const connect = buildConnector({ timeout: connectTimeoutMs });
  const entry: PoolEntry = {
    origin, connectTimeoutMs, busy: 0, used: true, closed: false, idle: [], all: new Set(),
    get size() { return entry.all.size; },
    acquire() {
      if (entry.closed) throw closedError();
      entry.used = true;
      const idle = entry.idle;
      while (idle.length > 0) {
        const client = idle.pop() as Client;
        if (!client.closed && !client.destroyed) { entry.busy++; return client; }
        entry.all.delete(client);
      }
      const client = new Client(origin, { pipelining: 1, keepAliveTimeout, connect });
      entry.all.add(client);
      entry.busy++;
      return client;
    },
    release(client) {
      entry.busy--;
      if (entry.closed) client.destroy().catch(() => undefined);
      else entry.idle.push(client);
    },
  };
  return entry;
}

function closeEntry(entry: PoolEntry, how: 'close' | 'destroy'): Promise<void> {
  entry.closed = true;
  const clients = [...entry.all];
  entry.all.clear();
  entry.idle.length = 0;
  return Promise.all(clients.map((c) => (how === 'close' ? c.close() : c.destroy()).catch(() => undefined))).then(() => undefined);
}

/** Creates the shared upstream pools. */
export function createUpstreamPools(options: UpstreamPoolsOptions = {}): UpstreamPools {
  const entries = new Map<string, PoolEntry>();
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? 4000;
  let closed = false;

  const entryFor = (origin: string, connectTimeoutMs: number): PoolEntry => {
    const key = `${connectTimeoutMs} ${origin}`;
    let entry = entries.get(key);
    if (entry === undefined) {
      if (closed) throw closedError();
      entry = createEntry(origin, connectTimeoutMs, keepAliveTimeout);
      entries.set(key, entry);
    }
    return entry;
  };
  const registry: PoolRegistry = {
    get: entryFor,
    forTarget(target, connectTimeoutMs) {
      const cached = target.cache.pool as PoolEntry | undefined;
      if (cached !== undefined && !cached.closed && cached.connectTimeoutMs === connectTimeoutMs) return cached;
      const entry = entryFor(target.origin, connectTimeoutMs);
      target.cache.pool = entry;
      return entry;
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
      entries.clear();
      await Promise.all(all.map((e) => closeEntry(e, 'destroy')));
    },
  };
  registries.set(pools, registry);
  return pools;
}

/**
 * Closes the pools that served nothing since the last sweep and have nothing in flight; in the
 * others, forgets the idle clients whose connection has closed (after a burst, the clients beyond
 * the usual concurrency sit at the bottom of the idle stack with their sockets timed out).
 */
function sweep(entries: Map<string, PoolEntry>): void {
  for (const [key, entry] of entries) {
    if (entry.used) {
      entry.used = false;
      forgetDisconnected(entry);
      continue;
    }
    if (entry.busy > 0) continue;
    entries.delete(key);
    void closeEntry(entry, 'close');
  }
}

function forgetDisconnected(entry: PoolEntry): void {
  const idle = entry.idle;
  let kept = 0;
  for (let i = 0; i < idle.length; i++) {
    const client = idle[i] as Client;
    if (client.stats.connected) idle[kept++] = client;
    else {
      entry.all.delete(client);
      client.close().catch(() => undefined);
    }
  }
  idle.length = kept;
}

/** The registry behind pools made by {@link createUpstreamPools}; throws for foreign objects. */
export function poolRegistryOf(pools: UpstreamPools): PoolRegistry {
  const registry = registries.get(pools);
  if (registry === undefined) throw new TypeError('UpstreamPools must come from createUpstreamPools()');
  return registry;
}
