/** What the admin listener serves, independent of where the data comes from (one process or workers). */
import type { ReloadResult } from '../gateway/index.js';

/** `GET /ready`: ready, or the reasons why not. */
export interface Readiness {
  readonly ready: boolean;
  readonly reasons: readonly string[];
}

/** A backend's routing state. */
export type BackendState = 'up' | 'cooling_down' | 'draining';

/** One backend of a service in `GET /backends`. */
export interface BackendReport {
  readonly url: string;
  /** With `--workers`: the state most workers report (see mergeReports). */
  readonly state: BackendState;
  readonly inFlight: number;
  readonly drainingSessions: number;
  /** ISO time the cool-down ends, when cooling down. */
  readonly coolingUntil?: string;
  /** The znode the URL came from (ZooKeeper sources). */
  readonly znode?: string;
  /** With `--workers`, only when the workers disagree: how many workers report each state. */
  readonly workerStates?: Readonly<Partial<Record<BackendState, number>>>;
}

/** One service in `GET /backends`. */
export interface ServiceReport {
  readonly role: string;
  readonly path: string;
  readonly enabled: boolean;
  readonly source: unknown;
  /** `static`, `zookeeper` or `state-dir`; undefined before the first list. */
  readonly origin?: string;
  /** ISO time the backend list last changed; undefined before the first list. */
  readonly updatedAt?: string;
  readonly backends: readonly BackendReport[];
}

/** The whole `GET /backends` answer. */
export interface BackendsReport {
  readonly topologies: readonly { readonly name: string; readonly services: readonly ServiceReport[] }[];
  /** ZooKeeper sessions, one per ensemble (state, session id, reconnects). */
  readonly zookeeper: readonly unknown[];
  /** Descriptors that failed on the last reload; their previous config is in force. */
  readonly failures: readonly { readonly file: string; readonly message: string }[];
  /** With `--workers`: which workers this answer covers. */
  readonly workers?: WorkersAnswered;
}

/**
 * With `--workers`: the cluster worker ids that answered, that are still starting (forked, not
 * yet ready for admin requests: left out, they get the drain marks once ready) and that did not
 * answer in time.
 */
export interface WorkersAnswered {
  readonly answered: readonly number[];
  readonly starting: readonly number[];
  readonly unanswered: readonly number[];
}

/** `POST /backends/drain` and `/backends/undrain` body. `service` is the role name or its path. */
export interface DrainRequest {
  readonly topology: string;
  readonly service: string;
  readonly url: string;
}

/** Prometheus exposition. */
export interface MetricsText {
  readonly contentType: string;
  readonly body: string;
}

/** The operations behind the admin endpoints. */
export interface AdminOps {
  ready(): Promise<Readiness>;
  backends(): Promise<BackendsReport>;
  /** False when the topology, service or URL is unknown. */
  setDraining(request: DrainRequest, draining: boolean): Promise<boolean>;
  metrics(): Promise<MetricsText>;
  reload(): Promise<ReloadResult>;
}
