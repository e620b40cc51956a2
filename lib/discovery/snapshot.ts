/** Immutable snapshots and the holder that hands them out and drops identical lists. */
import { childLogger, errFields, type BackendEntry, type Clock, type Snapshot } from '../core/index.js';
import { backendEntry, isCanonicalEntry } from './formats/entry.js';

/**
 * A frozen snapshot of frozen entries. Entries made by the formats (canonical, already frozen) are
 * shared, so an unchanged backend keeps the same object from one snapshot to the next; any other
 * entry is copied.
 */
export function makeSnapshot(backends: readonly BackendEntry[], origin: Snapshot['origin'], updatedAt: number): Snapshot {
  const frozen = Object.freeze(backends.map((b) => (isCanonicalEntry(b) ? b : backendEntry(b.url, b.znode))));
  return Object.freeze({ backends: frozen, origin, updatedAt });
}

/** True when both lists have the same URLs from the same znodes in the same order. */
export function sameBackends(a: readonly BackendEntry[], b: readonly BackendEntry[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x.url !== y.url || x.znode !== y.znode)) return false;
  }
  return true;
}

/** Holds a source's current snapshot and its subscribers. */
export interface SnapshotHolder {
  current(): Snapshot | undefined;
  /**
   * Replaces the snapshot; subscribers are told only when the list changed. The same list from
   * another origin (state dir confirmed by ZooKeeper) replaces `current()` silently. Returns true
   * when subscribers were told.
   */
  publish(backends: readonly BackendEntry[], origin: Snapshot['origin']): boolean;
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
  clear(): void;
}

/**
 * Creates a holder; `labels` name the service in logs. The gateway counts and logs (info) each list
 * delivered to routing, static lists included: the holder only logs at debug level.
 */
export function createSnapshotHolder(labels: { topology: string; service: string }, clock: Clock): SnapshotHolder {
  const log = childLogger('discovery').child(labels);
  const listeners = new Set<(snapshot: Snapshot) => void>();
  let snapshot: Snapshot | undefined;
  return {
    current: () => snapshot,
    publish(backends, origin) {
      const previous = snapshot;
      if (previous && previous.origin === origin && sameBackends(previous.backends, backends)) return false;
      snapshot = makeSnapshot(backends, origin, clock());
      if (previous && sameBackends(previous.backends, backends)) return false;
      // Subscribers first: the log line is a blocking write when stderr is a pipe or file.
      const delivered = snapshot;
      for (const l of [...listeners]) {
        try { l(delivered); } catch (err) { log.error('backend list subscriber failed', errFields(err)); }
      }
      log.debug('backend list published', { origin, count: backends.length, previous: previous?.backends.length });
      return true;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    clear: () => listeners.clear(),
  };
}
