/**
 * Every Prometheus metric of hadispatch, in one registry (prom-client's only home). Hot paths
 * should resolve a labelled child once (`metric.labels(...)`) and keep it, not pass label objects
 * per request; per-request counters go through {@link deferredCounter}.
 */
import { Registry, Counter, Gauge, collectDefaultMetrics } from 'prom-client';
import { FastHistogram } from './latency-histogram.js';

/** The registry `/metrics` serves. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'hadispatch_process_' });

const registers = [metricsRegistry];

/** A counter child whose increments reach prom-client when the registry is read. */
export interface CounterChild {
  inc(): void;
}

interface DeferredCounter extends CounterChild {
  readonly child: { inc(value: number): void };
  count: number;
}

/** Deferred counters with increments not yet handed to prom-client (process-wide). */
const pending: DeferredCounter[] = [];

/**
 * Hands every deferred increment to prom-client. Every counter of this file runs it as its
 * `collect` hook, which prom-client calls before reading the counter (text, JSON for the workers'
 * aggregation, `get()`), so a reader never sees a count behind the requests already answered.
 */
export function flushDeferredCounters(): void {
  for (let i = 0; i < pending.length; i++) {
    const counter = pending[i] as DeferredCounter;
    counter.child.inc(counter.count);
    counter.count = 0;
  }
  pending.length = 0;
}

function incDeferred(this: DeferredCounter): void {
  if (this.count++ === 0) pending.push(this);
}

/**
 * Wraps a labelled child for the hot path: a prom-client child validates and hashes its labels on
 * every `inc()`; this one adds 1 to a plain number, and the sum goes to prom-client when read.
 */
export function deferredCounter(child: { inc(value: number): void }): CounterChild {
  const counter: DeferredCounter = { child, count: 0, inc: incDeferred };
  return counter;
}

const collect = flushDeferredCounters;

/** Requests answered, by topology, service, backend (`none` when no backend answered) and status class (`2xx`…`5xx`). */
export const requestsTotal = new Counter({
  name: 'hadispatch_requests_total', help: 'Requests answered, by backend and status class',
  labelNames: ['topology', 'service', 'backend', 'status_class'] as const, registers, collect,
});

/**
 * Time from request start to response headers sent to the client. Observed once per request, so
 * it is a {@link FastHistogram} (no label hashing per observation), not a prom-client Histogram.
 */
export const requestDuration = new FastHistogram({
  name: 'hadispatch_request_duration_seconds', help: 'Latency until response headers, seconds',
  labelNames: ['topology', 'service'] as const, registers,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

/** Retries on another backend, by reason (`connect`, `timeout`, `aborted`, `standby`). */
export const failoversTotal = new Counter({
  name: 'hadispatch_failovers_total', help: 'Failover retries by reason',
  labelNames: ['topology', 'service', 'reason'] as const, registers, collect,
});

/** 502s sent because noFallback forbade failover. */
export const noFallbackTotal = new Counter({
  name: 'hadispatch_no_fallback_502_total', help: 'noFallback 502 responses',
  labelNames: ['topology', 'service'] as const, registers, collect,
});

/**
 * Sticky routing outcomes: `hit` (cookie's primary served), `miss` (no cookie, fresh assignment),
 * `moved` (cookie present but another backend served; see reassignments for the cause).
 */
export const stickyTotal = new Counter({
  name: 'hadispatch_sticky_total', help: 'Sticky session outcomes (hit, miss, moved)',
  labelNames: ['topology', 'service', 'outcome'] as const, registers, collect,
});

/** Sticky re-assignments by cause: `primary_down`, `cookie_invalid`, `drained`, `backend_gone`. */
export const stickyReassignmentsTotal = new Counter({
  name: 'hadispatch_sticky_reassignments_total', help: 'Sticky session re-assignments by cause',
  labelNames: ['topology', 'service', 'cause'] as const, registers, collect,
});

/** Requests served by a ranked backup route because the primary was down. */
export const stickyBackupTakeoversTotal = new Counter({
  name: 'hadispatch_sticky_backup_takeovers_total', help: 'Ranked backup routes that took over a session',
  labelNames: ['topology', 'service'] as const, registers, collect,
});

/** Sessions that still arrive at a draining backend. */
export const drainingSessionsTotal = new Counter({
  name: 'hadispatch_draining_sessions_total', help: 'Sticky requests that reached a draining backend',
  labelNames: ['topology', 'service', 'backend'] as const, registers, collect,
});

/** Backend list replacements delivered to routing. */
export const backendListChangesTotal = new Counter({
  name: 'hadispatch_backend_list_changes_total', help: 'Backend list changes delivered to routing',
  labelNames: ['topology', 'service'] as const, registers, collect,
});

/** Backends per service and state (`up`, `cooling_down`, `draining`). */
export const backendsGauge = new Gauge({
  name: 'hadispatch_backends', help: 'Backends by state',
  labelNames: ['topology', 'service', 'state'] as const, registers,
});

/** 1 while the ZooKeeper session of an ensemble is connected, else 0. */
export const zkSessionConnected = new Gauge({
  name: 'hadispatch_zookeeper_session_connected', help: '1 while the ZooKeeper session is connected',
  labelNames: ['ensemble'] as const, registers,
});

/** New ZooKeeper clients created after a disconnect, expiry or watchdog trip. */
export const zkReconnectsTotal = new Counter({
  name: 'hadispatch_zookeeper_reconnects_total', help: 'ZooKeeper reconnects (new clients) by cause',
  labelNames: ['ensemble', 'cause'] as const, registers, collect,
});
