/** The contract of discovery: whole, immutable backend snapshots per service, and ZooKeeper session status. */
import type { Clock, Random, ServiceConfig, Snapshot, ZookeeperFormat } from '../core/index.js';

/** State of one ZooKeeper session (one per ensemble). */
export type SessionState = 'connected' | 'connecting' | 'disconnected' | 'expired';

/** What `/backends` shows about where a service's list comes from. */
export type SourceDescription =
  | { readonly kind: 'static' }
  | {
      readonly kind: 'zookeeper';
      readonly ensemble: string;
      readonly namespace: string | undefined;
      readonly format: ZookeeperFormat;
      /** The znodes read (HBase without a namespace reads two). */
      readonly paths: readonly string[];
      readonly sessionState: SessionState;
      /** The last failed read or connect, until the next success. */
      readonly lastError?: string;
      /** Children skipped in the last read, one line per znode. */
      readonly warnings: readonly string[];
    };

/** A service's live backend list. */
export interface BackendSource {
  /** The current snapshot, or undefined before the first list is known (ZooKeeper not yet read and nothing in the state dir). */
  current(): Snapshot | undefined;
  /**
   * Calls `listener` with each new snapshot, only when the list really changed (identical lists,
   * e.g. the state-dir list confirmed by ZooKeeper, are dropped). Returns an unsubscribe function.
   */
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
  /** Human-readable description for `/backends`. */
  describe(): SourceDescription;
  /** Releases the source (watches; the shared session closes when its last source closes). */
  close(): Promise<void>;
}

/** Per-ensemble session status for `/backends` and `/ready` (a type alias, so it fits index-signature views). */
export type SessionStatus = {
  /** The connect string as configured (with its chroot); it never carries credentials. */
  readonly ensemble: string;
  readonly state: SessionState;
  /** Hex session id while a session exists. */
  readonly sessionId: string | undefined;
  /** New clients created after the first (expiry, watchdog, lost connection, failed connect). */
  readonly reconnects: number;
  /** Sources using this session. */
  readonly sources: number;
  /** Epoch ms of the last state change. */
  readonly since: number;
  readonly lastError?: string;
};

/** Capped exponential back-off with jitter between connect attempts and failed reads. */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Options of {@link Discovery} and of one-shot resolution; every field has a default. */
export interface DiscoveryOptions {
  /** Folder where the last known list of each ZooKeeper-backed service is kept (`--state-dir`). */
  readonly stateDir?: string;
  /** Requested ZooKeeper session timeout (default 10000 ms; the server may adjust it). */
  readonly sessionTimeoutMs?: number;
  /** Time allowed to establish a session (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** Time allowed for each ZooKeeper call (default 5000 ms). */
  readonly callTimeoutMs?: number;
  /** Back-off between reconnects and failed reads (default 250 ms doubling to 15000 ms, ±50 % jitter). */
  readonly backoff?: BackoffOptions;
  readonly clock?: Clock;
  readonly random?: Random;
}

/** Every source and ZooKeeper session of a gateway. */
export interface Discovery {
  /** Creates the source of one service of one topology; ZooKeeper sessions are shared per ensemble. */
  source(topology: string, service: ServiceConfig): BackendSource;
  /** Per-ensemble session status. */
  sessions(): readonly SessionStatus[];
  /** Closes every source and session. */
  close(): Promise<void>;
}

/** DiscoveryOptions with every default filled in. */
export interface ResolvedOptions {
  readonly stateDir: string | undefined;
  readonly sessionTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly backoff: BackoffOptions;
  readonly clock: Clock;
  readonly random: Random;
}
