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

/**
 * Aggregates worker registries: counters and histograms are summed; our own gauges (backends by
 * state, ZooKeeper session connected) describe shared state every worker sees, so they take the
 * maximum instead of a sum that would count each backend once per worker.
 */
export async function aggregateMetrics(perWorker: readonly MetricsJson[]): Promise<MetricsText> {
  const adjusted = perWorker.map((metrics) => metrics.map((m) => (
    String(m.type) === 'gauge' && m.name.startsWith('hadispatch_') && !m.name.startsWith('hadispatch_process_')
      ? { ...m, aggregator: 'max' as const }
      : m
  )));
  const registry = AggregatorRegistry.aggregate(adjusted as Parameters<typeof AggregatorRegistry.aggregate>[0]);
  return { contentType: registry.contentType, body: await registry.metrics() };
}
