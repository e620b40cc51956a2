/** `createDiscovery`: every service's source, with one shared ZooKeeper session per ensemble. */
import type { ServiceConfig } from '../core/index.js';
import { resolveOptions } from './options.js';
import { createStateStore } from './state-store.js';
import { createStaticSource } from './static-source.js';
import type { BackendSource, Discovery, DiscoveryOptions, SessionStatus } from './types.js';
import { createZkSession, type ZkSession } from './zookeeper-session.js';
import { createZkSource } from './zookeeper-source.js';

/**
 * Creates the discovery of a gateway. Sessions are keyed by the ensemble string exactly as
 * configured (chroot included) and closed when their last source closes. Never throws for
 * ZooKeeper trouble: sources simply have no list yet and keep retrying.
 */
export function createDiscovery(options: DiscoveryOptions = {}): Discovery {
  const opts = resolveOptions(options);
  const store = opts.stateDir !== undefined ? createStateStore(opts.stateDir, opts.clock) : undefined;
  const sessions = new Map<string, { session: ZkSession; refs: number }>();
  const sources = new Set<BackendSource>();

  function acquire(ensemble: string): ZkSession {
    let entry = sessions.get(ensemble);
    if (!entry) {
      entry = { session: createZkSession(ensemble, opts), refs: 0 };
      sessions.set(ensemble, entry);
    }
    entry.refs++;
    return entry.session;
  }

  async function release(ensemble: string): Promise<void> {
    const entry = sessions.get(ensemble);
    if (!entry) return;
    entry.refs--;
    if (entry.refs > 0) return;
    sessions.delete(ensemble);
    await entry.session.close();
  }

  function zkSource(topology: string, service: ServiceConfig, ensemble: string): BackendSource {
    const session = acquire(ensemble);
    const source = createZkSource({ topology, service, session, options: opts, store, release: () => release(ensemble) });
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
    sessions: (): readonly SessionStatus[] => [...sessions.values()].map((e) => e.session.status()),
    async close() {
      await Promise.all([...sources].map((s) => s.close()));
      sources.clear();
      await Promise.all([...sessions.values()].map((e) => e.session.close()));
      sessions.clear();
      await store?.flush();
    },
  };
}
