/**
 * The routing table: topology → service path → running service (source, balancer, dispatcher).
 * A registry is immutable once built; a reload builds a new one next to the old one (reusing the
 * parts of unchanged services, so sticky, health and draining state and ZooKeeper watches survive)
 * and the gateway swaps one reference.
 */
import { childLogger, backendListChangesTotal, type ServiceConfig, type Snapshot, type TopologyConfig } from '../core/index.js';
import { createServiceBalancer, type ServiceBalancer, type StickyKeys } from '../balancing/index.js';
import { createServiceDispatcher, type ServiceDispatcher, type TrafficState, type UpstreamPools } from '../dispatch/index.js';
import type { BackendSource, Discovery } from '../discovery/index.js';

const log = childLogger('gateway');

/** One service of a topology: running, or disabled (`enabled="false"`: 404, no source). */
export type ServiceEntry =
  | {
      readonly kind: 'active';
      readonly topology: string;
      readonly service: ServiceConfig;
      /** JSON of `service`, to tell unchanged services on reload. */
      readonly key: string;
      readonly source: BackendSource;
      readonly balancer: ServiceBalancer;
      readonly dispatcher: ServiceDispatcher;
      readonly unsubscribe: () => void;
    }
  | { readonly kind: 'disabled'; readonly topology: string; readonly service: ServiceConfig; readonly key: string };

/** One topology: its config and its services by gateway path segment. */
export interface TopologyEntry {
  readonly config: TopologyConfig;
  readonly services: ReadonlyMap<string, ServiceEntry>;
}

/** An immutable routing table. */
export interface Registry {
  readonly topologies: ReadonlyMap<string, TopologyEntry>;
}

/** What building a registry needs from the gateway. */
export interface RegistryDeps {
  readonly discovery: Discovery;
  readonly pools: UpstreamPools;
  readonly gatewayPath: string;
  readonly tls: boolean;
  readonly stickyKeys: StickyKeys | undefined;
  readonly coolDownMs: number | undefined;
  /** The gateway's traffic state, shared by every dispatcher. */
  readonly traffic?: TrafficState;
}

/** A new registry plus the sources the old one used that the new one does not (close after the swap). */
export interface BuildResult {
  readonly registry: Registry;
  readonly retired: readonly RetiredSource[];
}

/** A source to close once nothing routes on it any more. */
export interface RetiredSource {
  readonly source: BackendSource;
  readonly unsubscribe: () => void;
}

/** The empty registry (before the first load). */
export const EMPTY_REGISTRY: Registry = Object.freeze({ topologies: new Map() });

/**
 * Builds the registry for `configs`, reusing from `previous` every service whose config is
 * unchanged (whole entry) or whose backend source is unchanged (source only). Never mutates
 * `previous`. Throws only if a part's factory throws (then nothing new leaks: created sources are closed).
 */
export function buildRegistry(previous: Registry, configs: readonly TopologyConfig[], deps: RegistryDeps): BuildResult {
  const reused = new Set<BackendSource>();
  const created: BackendSource[] = [];
  const topologies = new Map<string, TopologyEntry>();
  try {
    for (const config of configs) {
      const old = previous.topologies.get(config.name);
      const services = new Map<string, ServiceEntry>();
      for (const service of config.services) {
        if (services.has(service.path)) {
          log.warn('duplicate service path ignored', { topology: config.name, role: service.name, path: service.path });
          continue;
        }
        const entry = buildEntry(config.name, service, old?.services.get(service.path), deps, reused, created);
        services.set(service.path, entry);
      }
      topologies.set(config.name, Object.freeze({ config, services }));
    }
  } catch (err) {
    for (const s of created) void s.close().catch(() => undefined);
    throw err;
  }
  return { registry: Object.freeze({ topologies }), retired: retiredSources(previous, reused) };
}

function buildEntry(
  topology: string, service: ServiceConfig, old: ServiceEntry | undefined, deps: RegistryDeps,
  reused: Set<BackendSource>, created: BackendSource[],
): ServiceEntry {
  const key = JSON.stringify(service);
  if (!service.enabled) return Object.freeze({ kind: 'disabled', topology, service, key });
  if (old?.kind === 'active' && old.key === key) {
    reused.add(old.source);
    return old;
  }
  let source: BackendSource;
  let unsubscribe: () => void;
  if (old?.kind === 'active' && JSON.stringify(old.service.source) === JSON.stringify(service.source)) {
    source = old.source;
    unsubscribe = old.unsubscribe;
    reused.add(source);
  } else {
    source = deps.discovery.source(topology, service);
    created.push(source);
    unsubscribe = watchSnapshots(topology, service, source, old?.kind === 'active' ? old.source.current() : undefined);
  }
  const balancer = createServiceBalancer({
    service,
    cookiePath: `/${deps.gatewayPath}/${topology}`,
    secure: deps.tls,
    ...(deps.stickyKeys ? { keys: deps.stickyKeys } : {}),
    ...(deps.coolDownMs !== undefined ? { coolDownMs: deps.coolDownMs } : {}),
  });
  if (old?.kind === 'active') keepDraining(old.balancer, old.source.current(), balancer, source.current());
  const dispatcher = createServiceDispatcher({
    topology, service, balancer, pools: deps.pools, gatewayPath: deps.gatewayPath, tls: deps.tls,
    ...(deps.traffic !== undefined ? { traffic: deps.traffic } : {}),
    snapshot: () => source.current(),
  });
  return Object.freeze({ kind: 'active', topology, service, key, source, balancer, dispatcher, unsubscribe });
}

/**
 * A changed service keeps the draining marks of the backends it still lists: an operator who drains
 * a backend and then edits, say, `failoverSleep` or another backend's URL must not see it undrained
 * by the reload. (A new ZooKeeper source has no list yet: nothing to carry over then.)
 */
function keepDraining(from: ServiceBalancer, was: Snapshot | undefined, to: ServiceBalancer, now: Snapshot | undefined): void {
  if (was === undefined || now === undefined) return;
  for (const backend of from.status(was)) if (backend.state === 'draining') to.setDraining(now, backend.url, true);
}

/**
 * Counts (`hadispatch_backend_list_changes_total`) and logs, once each, every backend list a new
 * source delivers to routing: the list it already has when created (a static source's only list;
 * sources never re-deliver it) and each change it notifies afterwards. A source reused by a reload
 * is not watched again, so an unchanged service counts nothing. `replaced` is the list the service
 * routed on before (a reload); a first list at start is logged at `debug` only, so that starting
 * a gateway of static services does not log one line per service.
 */
function watchSnapshots(topology: string, service: ServiceConfig, source: BackendSource, replaced: Snapshot | undefined): () => void {
  const changes = backendListChangesTotal.labels(topology, service.name);
  let previous = replaced?.backends.length;
  const deliver = (snapshot: Snapshot, quiet: boolean): void => {
    changes.inc();
    const fields = { topology, role: service.name, origin: snapshot.origin, count: snapshot.backends.length, previous };
    if (quiet) log.debug('backend list changed', fields); else log.info('backend list changed', fields);
    previous = snapshot.backends.length;
  };
  const unsubscribe = source.subscribe((snapshot) => deliver(snapshot, false));
  const first = source.current();
  if (first !== undefined) deliver(first, replaced === undefined);
  return unsubscribe;
}

function retiredSources(previous: Registry, reused: ReadonlySet<BackendSource>): RetiredSource[] {
  const out: RetiredSource[] = [];
  for (const topo of previous.topologies.values()) {
    for (const entry of topo.services.values()) {
      if (entry.kind === 'active' && !reused.has(entry.source)) out.push({ source: entry.source, unsubscribe: entry.unsubscribe });
    }
  }
  return out;
}

/** The running service at `topology`/`servicePath`, or undefined (unknown or disabled: 404). */
export function lookupService(registry: Registry, topology: string, servicePath: string): ServiceEntry | undefined {
  return registry.topologies.get(topology)?.services.get(servicePath);
}
