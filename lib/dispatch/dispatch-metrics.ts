/**
 * Metric children of one dispatcher, resolved once (prom-client `labels()` is not free): the hot
 * path only calls `inc()`/`observe()` on cached children.
 */
import {
  requestsTotal, requestDuration, failoversTotal, noFallbackTotal, stickyTotal,
  stickyReassignmentsTotal, stickyBackupTakeoversTotal,
} from '../core/index.js';
import type { StickyReassignCause } from '../balancing/index.js';
import type { Target } from './targets.js';

type CounterChild = ReturnType<typeof requestsTotal.labels>;
type HistogramChild = ReturnType<typeof requestDuration.labels>;

/** Why an attempt was retried elsewhere. */
export type FailoverReason = 'connect' | 'timeout' | 'aborted' | 'standby';

/** The cached children of one dispatcher. */
export interface DispatchMetrics {
  readonly duration: HistogramChild;
  readonly noFallback: CounterChild;
  readonly backupTakeovers: CounterChild;
  failover(reason: FailoverReason): CounterChild;
  sticky(outcome: 'hit' | 'miss' | 'moved'): CounterChild;
  reassigned(cause: StickyReassignCause): CounterChild;
  /** requestsTotal child for `target` (undefined: no backend answered) and an HTTP status. */
  requests(target: Target | undefined, status: number): CounterChild;
}

const CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

function classIndex(status: number): number {
  const i = Math.floor(status / 100);
  return i >= 1 && i <= 5 ? i : 5;
}

/** Resolves the children of one dispatcher (per-backend ones lazily, cached on the target). */
export function createDispatchMetrics(topology: string, service: string): DispatchMetrics {
  const cache = new Map<string, CounterChild>();
  const cached = (key: string, make: () => CounterChild): CounterChild => {
    let child = cache.get(key);
    if (child === undefined) { child = make(); cache.set(key, child); }
    return child;
  };
  const perClass = (backend: string): CounterChild[] =>
    CLASSES.map((status_class) => requestsTotal.labels({ topology, service, backend, status_class }));
  const none = perClass('none');
  return {
    duration: requestDuration.labels({ topology, service }),
    noFallback: noFallbackTotal.labels({ topology, service }),
    backupTakeovers: stickyBackupTakeoversTotal.labels({ topology, service }),
    failover: (reason) => cached(`f:${reason}`, () => failoversTotal.labels({ topology, service, reason })),
    sticky: (outcome) => cached(`s:${outcome}`, () => stickyTotal.labels({ topology, service, outcome })),
    reassigned: (cause) => cached(`r:${cause}`, () => stickyReassignmentsTotal.labels({ topology, service, cause })),
    requests(target, status) {
      if (target === undefined) return none[classIndex(status)] as CounterChild;
      let children = target.slots.get('requests') as CounterChild[] | undefined;
      if (children === undefined) {
        children = perClass(target.url);
        target.slots.set('requests', children);
      }
      return children[classIndex(status)] as CounterChild;
    },
  };
}
