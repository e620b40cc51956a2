/**
 * What the `--workers` primary remembers across worker restarts: the drain/undrain requests it
 * applied (replayed to each worker that becomes ready) and the workers' last metrics (so that the
 * counters of a worker that died stay in the aggregated sums).
 */
import type { Worker } from 'node:cluster';
import { childLogger, errFields } from '../core/index.js';
import { retireMetrics, type MetricsJson } from './metrics-text.js';
import type { DrainRequest } from './types.js';

const log = childLogger('admin');

/** One remembered drain or undrain request. */
export interface DrainMark {
  readonly request: DrainRequest;
  readonly draining: boolean;
}

/** The latest drain/undrain request per topology, service and URL, oldest first. */
export interface DrainMemory {
  /** Remembers the request, replacing (and moving after all others) an earlier one for the same backend. */
  record(request: DrainRequest, draining: boolean): DrainMark;
  /** Forgets `mark` unless a later request replaced it (the request named no known backend). */
  forget(mark: DrainMark): void;
  /**
   * The marks in the order of their latest request, so that replaying them in order leaves the
   * same state even when one backend was named once by role and once by path.
   */
  list(): readonly DrainMark[];
}

/** Creates an empty {@link DrainMemory}. */
export function createDrainMemory(): DrainMemory {
  const marks = new Map<string, DrainMark>();
  const keyOf = (r: DrainRequest): string => JSON.stringify([r.topology, r.service, r.url]);
  return {
    record(request, draining) {
      const mark = Object.freeze({ request: Object.freeze({ topology: request.topology, service: request.service, url: request.url }), draining });
      const key = keyOf(request);
      marks.delete(key);
      marks.set(key, mark);
      return mark;
    },
    forget(mark) {
      const key = keyOf(mark.request);
      if (marks.get(key) === mark) marks.delete(key);
    },
    list: () => [...marks.values()],
  };
}

/** The workers' last metrics, and the counters of workers that exited. */
export interface MetricsMemory {
  /** Keeps a live worker's latest metrics. */
  remember(worker: Worker, metrics: MetricsJson): void;
  /** The latest metrics of these workers (those known). */
  lastOf(workerIds: readonly number[]): MetricsJson[];
  /** The worker exited: its last counters and histograms move into {@link MetricsMemory.retired}. */
  retire(workerId: number): void;
  /** Counters and histograms of every worker that exited, as of their last scrape. */
  retired(): Promise<MetricsJson>;
}

/** Creates an empty {@link MetricsMemory}. */
export function createMetricsMemory(): MetricsMemory {
  const last = new Map<number, MetricsJson>();
  // A chain, so that folds never race each other or a scrape.
  let retired: Promise<MetricsJson> = Promise.resolve([]);
  return {
    remember(worker, metrics) {
      if (!worker.isDead()) last.set(worker.id, metrics);
    },
    lastOf: (ids) => ids.map((id) => last.get(id)).filter((m): m is MetricsJson => m !== undefined),
    retire(workerId) {
      const metrics = last.get(workerId);
      last.delete(workerId);
      if (metrics === undefined) return;
      retired = retired.then(
        (r) => retireMetrics(r, [metrics]).catch((err: unknown) => {
          log.error('cannot keep the metrics of an exited worker', { worker: workerId, ...errFields(err) });
          return r;
        }),
      );
    },
    retired: () => retired,
  };
}
