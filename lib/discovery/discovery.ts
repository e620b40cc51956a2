/** `createDiscovery`: every service's source, with one shared ZooKeeper session per ensemble. */
import type { ServiceConfig } from '../core/index.js';
import { resolveOptions } from './options.js';
import { createStateStore } from './state-store.js';
import { createStaticSource } from './static-source.js';
import type { BackendSource, Discovery, DiscoveryOptions, ResolvedOptions, SessionStatus } from './types.js';
import { createZkSession, type ZkSession } from './zookeeper-session.js';
import { createZkSource } from './zookeeper-source.js';

/** ZooKeeper sessions shared per ensemble string, counted by the sources using them. */
interface SessionPool {
  acquire(ensemble: string): ZkSession;
  /** Closes the ensemble's session when its last source releases it. */
  release(ensemble: string): Promise<void>;
  statuses(): readonly SessionStatus[];
  closeAll(): Promise<void>;
}

function createSessionPool(opts: ResolvedOptions): SessionPool {
  const sessions = new Map<string, { session: ZkSession; refs: number }>();
  return {
    acquire(ensemble) {
      let entry = sessions.get(ensemble);
      if (!entry) {
        entry = { session: createZkSession(ensemble, opts), refs: 0 };
        sessions.set(ensemble, entry);
      }
      entry.refs++;
      return entry.session;
    },
    async release(ensemble) {
      const entry = sessions.get(ensemble);
      if (!entry) return;
      entry.refs--;
      if (entry.refs > 0) return;
      sessions.delete(ensemble);
      await entry.session.close();
    },
    statuses: () => [...sessions.values()].map((e) => e.session.status()),
    async closeAll() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((e) => e.session.close()));
    },
  };
}

/**
 * Creates the discovery of a gateway. Sessions are keyed by the ensemble string exactly as
 * configured (chroot included) and closed when their last source closes. Never throws for
 * ZooKeeper trouble: sources simply have no list yet and keep retrying.
 */
export function createDiscovery(options: DiscoveryOptions = {}): Discovery {
  const opts = resolveOptions(options);
  const store = opts.stateDir !== undefined ? createStateStore(opts.stateDir, opts.clock) : undefined;
  const pool = createSessionPool(opts);
  const sources = new Set<BackendSource>();

  function zkSource(topology: string, service: ServiceConfig, ensemble: string): BackendSource {
    const session = pool.acquire(ensemble);
    const source = createZkSource({ topology, service, session, options: opts, store, release: () => pool.release(ensemble) });
    sources.add(source);
    return { ...source, close: async () => { sources.delete(source); await source.close(); } };
  }

  return {
    source(topology, service) {
      const cfg = service.source;
      switch (cfg.kind) {
        case 'static': return createStaticSource(cfg.urls, opts.clock);
        case 'zookeeper': return zkSource(topology, service, cfg.ensemble);
        default: {
          const never: never = cfg;
          throw new Error(`unknown source ${String(never)}`);
        }
      }
    },
    sessions: (): readonly SessionStatus[] => pool.statuses(),
    async close() {
      await Promise.all([...sources].map((s) => s.close()));
      sources.clear();
      await pool.closeAll();
      await store?.flush();
    },
  };
}
