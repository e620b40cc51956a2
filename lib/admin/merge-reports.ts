/**
 * Merges the `/backends` reports of several workers into one: counts are summed, and a backend's
 * state is the one most workers report, with the per-worker breakdown whenever they disagree.
 */
import type { BackendReport, BackendState, BackendsReport } from './types.js';

/**
 * Tie-break order: the state in which the backend gets the most traffic first, so that a tie never
 * claims a backend is out of rotation while some worker still sends it new sessions.
 */
const TIE_ORDER: readonly BackendState[] = ['up', 'draining', 'cooling_down'];

/**
 * The first report's structure with in-flight and draining-session counts summed over all reports.
 * Each backend's `state` is the state most reports give it (ties: `up`, then `draining`, then
 * `cooling_down`); when the reports disagree, `workerStates` counts the workers per state
 * (regression: the merge used to keep the "worst" state, so a restarted worker that had lost its
 * drain marks was hidden behind "draining").
 */
export function mergeReports(reports: readonly BackendsReport[]): BackendsReport {
  const [first] = reports;
  if (!first) return { topologies: [], zookeeper: [], failures: [] };
  const index = new Map<string, BackendReport[]>();
  for (const r of reports) {
    for (const t of r.topologies) for (const s of t.services) for (const b of s.backends) {
      const key = backendKey(t.name, s.role, b.url);
      const seen = index.get(key);
      if (seen) seen.push(b);
      else index.set(key, [b]);
    }
  }
  return {
    ...first,
    topologies: first.topologies.map((t) => ({
      ...t,
      services: t.services.map((s) => ({
        ...s,
        backends: s.backends.map((b) => combine(index.get(backendKey(t.name, s.role, b.url)) ?? [b])),
      })),
    })),
  };
}

function backendKey(topology: string, role: string, url: string): string {
  return `${topology}\u0000${role}\u0000${url}`;
}

/** One backend as several workers report it (`views` is never empty). */
function combine(views: readonly BackendReport[]): BackendReport {
  const counts: Partial<Record<BackendState, number>> = {};
  for (const v of views) counts[v.state] = (counts[v.state] ?? 0) + 1;
  const state = TIE_ORDER.reduce((best, s) => ((counts[s] ?? 0) > (counts[best] ?? 0) ? s : best));
  const coolingUntil = views.map((v) => v.coolingUntil).filter((c): c is string => c !== undefined).sort().at(-1);
  const { coolingUntil: _dropped, ...rest } = views[0] as BackendReport;
  return {
    ...rest,
    state,
    inFlight: views.reduce((n, v) => n + v.inFlight, 0),
    drainingSessions: views.reduce((n, v) => n + v.drainingSessions, 0),
    ...(coolingUntil !== undefined ? { coolingUntil } : {}),
    ...(Object.keys(counts).length > 1 ? { workerStates: counts } : {}),
  };
}
