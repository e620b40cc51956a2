/** Merges the `/backends` reports of several workers into one (sums counts, keeps the worst state). */
import type { BackendReport, BackendsReport } from './types.js';

const RANK: Record<BackendReport['state'], number> = { up: 0, cooling_down: 1, draining: 2 };

/** The first report's structure with in-flight and draining-session counts summed over all. */
export function mergeReports(reports: readonly BackendsReport[]): BackendsReport {
  const [first, ...others] = reports;
  if (!first) return { topologies: [], zookeeper: [], failures: [] };
  const index = new Map<string, BackendReport>();
  for (const r of others) {
    for (const t of r.topologies) for (const s of t.services) for (const b of s.backends) {
      const key = `${t.name}\u0000${s.role}\u0000${b.url}`;
      index.set(key, combine(index.get(key), b));
    }
  }
  return {
    ...first,
    topologies: first.topologies.map((t) => ({
      ...t,
      services: t.services.map((s) => ({
        ...s,
        backends: s.backends.map((b) => combine(index.get(`${t.name}\u0000${s.role}\u0000${b.url}`), b)),
      })),
    })),
  };
}

function combine(a: BackendReport | undefined, b: BackendReport): BackendReport {
  if (!a) return b;
  return {
    ...b,
    state: RANK[a.state] > RANK[b.state] ? a.state : b.state,
    inFlight: a.inFlight + b.inFlight,
    drainingSessions: a.drainingSessions + b.drainingSessions,
  };
}
