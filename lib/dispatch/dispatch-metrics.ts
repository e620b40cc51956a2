/**
 * Metric children of one dispatcher, resolved once (prom-client `labels()` is not free). Counters
 * are deferred (core's `deferredCounter`: a plain addition per request, handed to prom-client when
 * the registry is read); the latency histogram is core's FastHistogram (a few additions).
 */
import {
  requestsTotal, requestDuration, failoversTotal, noFallbackTotal, stickyTotal,
  stickyReassignmentsTotal, stickyBackupTakeoversTotal, drainingSessionsTotal, type HistogramSeries,
  deferredCounter, type CounterChild,
} from '../core/index.js';
import type { StickyReassignCause } from '../balancing/index.js';
import type { Target } from './targets.js';

type PromCounterChild = ReturnType<typeof requestsTotal.labels>;

/** How a sticky request was served. */
export type StickyOutcome = 'hit' | 'miss' | 'moved';

/** Why an attempt was retried elsewhere. */
export type FailoverReason = 'connect' | 'timeout' | 'aborted' | 'standby';

/** The cached children of one dispatcher. */
export interface DispatchMetrics {
  readonly duration: HistogramSeries;
  readonly noFallback: CounterChild;
  readonly backupTakeovers: CounterChild;
  failover(reason: FailoverReason): CounterChild;
  sticky(outcome: StickyOutcome): CounterChild;
  reassigned(cause: StickyReassignCause): CounterChild;
  /** requestsTotal child for `target` (undefined: no backend answered) and an HTTP status. */
  requests(target: Target | undefined, status: number): CounterChild;
  /** drainingSessionsTotal child for `target` (a sticky request a draining backend answered). */
  drainingSessions(target: Target): CounterChild;
}

const CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

function classIndex(status: number): number {
  const i = Math.floor(status / 100);
  return i >= 1 && i <= 5 ? i : 5;
}

/** Children by label value, made on first use. */
function lazyChildren<K extends string>(make: (key: K) => PromCounterChild): (key: K) => CounterChild {
  const children = new Map<K, CounterChild>();
  return (key) => {
    let child = children.get(key);
    if (child === undefined) { child = deferredCounter(make(key)); children.set(key, child); }
    return child;
  };
}

/** The sticky outcome children, made on first use: one per request, so plain fields, not a Map. */
function stickyChildren(make: (outcome: StickyOutcome) => CounterChild): (outcome: StickyOutcome) => CounterChild {
  let hit: CounterChild | undefined;
  let miss: CounterChild | undefined;
  let moved: CounterChild | undefined;
  return (outcome) => {
    switch (outcome) {
      case 'hit': return hit ??= make('hit');
      case 'miss': return miss ??= make('miss');
      case 'moved': return moved ??= make('moved');
      default: {
        const never: never = outcome;
        throw new Error(`unknown sticky outcome ${String(never)}`);
      }
    }
  };
}

/** Resolves the children of one dispatcher (per-backend ones lazily, cached on the target). */
export function createDispatchMetrics(topology: string, service: string): DispatchMetrics {
  const perClass = (backend: string): CounterChild[] =>
    CLASSES.map((status_class) => deferredCounter(requestsTotal.labels({ topology, service, backend, status_class })));
  const none = perClass('none');
  return {
    duration: requestDuration.labels({ topology, service }),
    noFallback: deferredCounter(noFallbackTotal.labels({ topology, service })),
    backupTakeovers: deferredCounter(stickyBackupTakeoversTotal.labels({ topology, service })),
    failover: lazyChildren((reason) => failoversTotal.labels({ topology, service, reason })),
    sticky: stickyChildren((outcome) => deferredCounter(stickyTotal.labels({ topology, service, outcome }))),
    reassigned: lazyChildren((cause) => stickyReassignmentsTotal.labels({ topology, service, cause })),
    requests(target, status) {
      if (target === undefined) return none[classIndex(status)] as CounterChild;
      let children = target.cache.requests as CounterChild[] | undefined;
      if (children === undefined) {
        children = perClass(target.url);
        target.cache.requests = children;
      }
      return children[classIndex(status)] as CounterChild;
    },
    drainingSessions(target) {
      let child = target.cache.draining as CounterChild | undefined;
      if (child === undefined) {
        child = deferredCounter(drainingSessionsTotal.labels({ topology, service, backend: target.url }));
        target.cache.draining = child;
      }
      return child;
    },
  };
}
