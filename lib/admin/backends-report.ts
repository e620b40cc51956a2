/** Builds `GET /backends` and `GET /ready` answers from the gateway's read-only view. */
import type { GatewayView, ServiceView } from '../gateway/index.js';
import type { BackendReport, BackendsReport, Readiness, ServiceReport } from './types.js';

/** Every topology and service with its source, backends and their state; ZooKeeper sessions. */
export function buildBackendsReport(view: GatewayView): BackendsReport {
  const topologies: { name: string; services: ServiceReport[] }[] = [];
  for (const sv of view.services()) {
    let topo = topologies.find((t) => t.name === sv.topology);
    if (!topo) topologies.push(topo = { name: sv.topology, services: [] });
    topo.services.push(serviceReport(sv));
  }
  return { topologies, zookeeper: view.sessions(), failures: view.failures() };
}

function serviceReport(sv: ServiceView): ServiceReport {
  const snap = sv.snapshot();
  const znodes = new Map(snap?.backends.map((b) => [b.url, b.znode]) ?? []);
  const backends: BackendReport[] = sv.status().map((s) => {
    const znode = znodes.get(s.url);
    return {
      url: s.url, state: s.state, inFlight: s.inFlight, drainingSessions: s.drainingSessions,
      ...(s.coolingUntil !== undefined ? { coolingUntil: new Date(s.coolingUntil).toISOString() } : {}),
      ...(znode !== undefined ? { znode } : {}),
    };
  });
  return {
    role: sv.service.name,
    path: sv.service.path,
    enabled: sv.enabled,
    source: sv.describeSource(),
    ...(snap ? { origin: snap.origin, updatedAt: new Date(snap.updatedAt).toISOString() } : {}),
    backends,
  };
}

/**
 * Ready once every ZooKeeper-backed service has had a first list (descriptors are loaded before the
 * gateway exists). A descriptor that failed on reload does not make the gateway unready: its
 * previous config is serving, and pulling every instance out of rotation for one typo would be worse.
 */
export function checkReadiness(view: GatewayView): Readiness {
  const reasons: string[] = [];
  if (view.closing()) reasons.push('shutting down');
  for (const sv of view.services()) {
    if (sv.enabled && sv.service.source.kind === 'zookeeper' && sv.snapshot() === undefined) {
      reasons.push(`${sv.topology}/${sv.service.name}: no backend list from ZooKeeper yet`);
    }
  }
  return { ready: reasons.length === 0, reasons };
}

/** The service of `view` named by role name or path, or undefined. */
export function findService(view: GatewayView, topology: string, service: string): ServiceView | undefined {
  const all = view.services().filter((s) => s.topology === topology);
  return all.find((s) => s.service.name === service) ?? all.find((s) => s.service.path === service);
}
