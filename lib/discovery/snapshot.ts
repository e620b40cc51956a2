/** Immutable snapshots and the holder that hands them out and drops identical lists. */
import { backendListChangesTotal, childLogger, errFields, type BackendEntry, type Clock, type Snapshot } from '../core/index.js';

/** A frozen snapshot of frozen entries. */
export function makeSnapshot(backends: readonly BackendEntry[], origin: Snapshot['origin'], updatedAt: number): Snapshot {
  const frozen = Object.freeze(backends.map((b) => Object.freeze(b.znode === undefined ? { url: b.url } : { url: b.url, znode: b.znode })));
  return Object.freeze({ backends: frozen, origin, updatedAt });
}

/** True when both lists have the same URLs from the same znodes in the same order. */
export function sameBackends(a: readonly BackendEntry[], b: readonly BackendEntry[]): boolean {
  return a.length === b.length && a.every((x, i) => x.url === b[i]?.url && x.znode === b[i]?.znode);
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

/** Creates a holder; `labels` name the service in metrics and logs. */
export function createSnapshotHolder(labels: { topology: string; service: string }, clock: Clock): SnapshotHolder {
  const log = childLogger('discovery').child(labels);
  const listeners = new Set<(snapshot: Snapshot) => void>();
  const changes = backendListChangesTotal.labels(labels.topology, labels.service);
  let snapshot: Snapshot | undefined;
  return {
    current: () => snapshot,
    publish(backends, origin) {
      const previous = snapshot;
      if (previous && previous.origin === origin && sameBackends(previous.backends, backends)) return false;
      snapshot = makeSnapshot(backends, origin, clock());
      if (previous && sameBackends(previous.backends, backends)) return false;
      changes.inc();
      log.info('backend list changed', { origin, count: backends.length, previous: previous?.backends.length });
      for (const l of [...listeners]) {
        try { l(snapshot); } catch (err) { log.error('backend list subscriber failed', errFields(err)); }
      }
      return true;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    clear: () => listeners.clear(),
  };
}
