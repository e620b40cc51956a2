/** `GET /metrics`: one process's registry, or the workers' registries aggregated by the primary. */
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { backendsGauge, metricsRegistry } from '../core/index.js';
import type { GatewayView } from '../gateway/index.js';
import type { MetricsText } from './types.js';

/** JSON form of one registry, as workers send it to the primary. */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/**
 * Sets `hadispatch_backends` from the balancers (called on every scrape). The gauge
 * `hadispatch_zookeeper_session_connected` is not touched here: discovery owns it (sets it on every
 * session state change, removes it when the session closes), and a reset here would also wipe the
 * sessions of any other gateway in the same process.
 */
export function refreshBackendsGauge(view: GatewayView): void {
  backendsGauge.reset();
  for (const sv of view.services()) {
    if (!sv.enabled) continue;
    const counts = { up: 0, cooling_down: 0, draining: 0 };
    for (const b of sv.status()) counts[b.state]++;
    for (const state of ['up', 'cooling_down', 'draining'] as const) {
      backendsGauge.labels(sv.topology, sv.service.name, state).set(counts[state]);
    }
  }
}

/** The local registry as Prometheus text, with the backends gauge fresh. */
export async function localMetrics(view: GatewayView): Promise<MetricsText> {
  refreshBackendsGauge(view);
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

/** The local registry as JSON (what a worker sends to the primary). */
export async function localMetricsJson(view: GatewayView): Promise<MetricsJson> {
  refreshBackendsGauge(view);
  return (await metricsRegistry.getMetricsAsJSON()) as MetricsJson;
}

/** Our gauges describe state every worker sees (backends by state, ZooKeeper session connected). */
function isSharedGauge(m: MetricsJson[number]): boolean {
  return String(m.type) === 'gauge' && m.name.startsWith('hadispatch_') && !m.name.startsWith('hadispatch_process_');
}

/**
 * Counters every worker counts alike, because every worker receives the same backend lists:
 * summed they would read N times the documented value (regression: with `--workers 3`,
 * `hadispatch_backend_list_changes_total` read 3 at start and 6 after one change).
 */
const SHARED_COUNTERS: ReadonlySet<string> = new Set(['hadispatch_backend_list_changes_total']);

/** The metrics with the aggregator each one needs across workers (`max` for shared state, else `sum`). */
function withAggregators(metrics: MetricsJson): MetricsJson {
  return metrics.map((m) => (isSharedGauge(m) || SHARED_COUNTERS.has(m.name) ? { ...m, aggregator: 'max' as const } : m));
}

/**
 * Aggregates worker registries: counters and histograms are summed. Our own gauges and the counters
 * in SHARED_COUNTERS describe state every worker sees alike, so they take the maximum instead of a
 * sum that would count it once per worker.
 */
export async function aggregateMetrics(perWorker: readonly MetricsJson[]): Promise<MetricsText> {
  const registry = AggregatorRegistry.aggregate(perWorker.map(withAggregators) as Parameters<typeof AggregatorRegistry.aggregate>[0]);
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/**
 * Adds the counters and histograms of workers that died to `retired` (gauges are dropped: they
 * describe a process that is gone). The primary keeps the result and aggregates it with the live
 * workers, so a worker's death does not look like a counter reset to Prometheus.
 */
export async function retireMetrics(retired: MetricsJson, dead: readonly MetricsJson[]): Promise<MetricsJson> {
  const kept = [retired, ...dead].map((metrics) => withAggregators(metrics.filter((m) => String(m.type) !== 'gauge')));
  const registry = AggregatorRegistry.aggregate(kept as Parameters<typeof AggregatorRegistry.aggregate>[0]);
  return (await registry.getMetricsAsJSON()) as MetricsJson;
}
