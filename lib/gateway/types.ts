/** The gateway's public contract: options, the running gateway, and the read-only view admin uses. */
import type { ServiceConfig, Snapshot, TopologyConfig } from '../core/index.js';
import type { BackendStatus, StickyKeys } from '../balancing/index.js';

/** TLS material: PEM text (Buffer, or a string containing `-----BEGIN`) or a path to a PEM file. */
export interface TlsOptions {
  readonly cert: Buffer | string;
  readonly key: Buffer | string;
}

/** Options of {@link startGateway}; give `descriptorsDir` or `topologies`. */
export interface GatewayOptions {
  /** Folder of `*.xml` descriptors, served as topology = file name; watched for changes. */
  readonly descriptorsDir?: string;
  /** Ready-made topologies (tests, embedding); `reload(topologies)` replaces them. */
  readonly topologies?: readonly TopologyConfig[];
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8443; 0 picks a free port. */
  readonly port?: number;
  /** First path segment, default `gateway` (no slashes). */
  readonly gatewayPath?: string;
  readonly tls?: TlsOptions;
  /** Keeps ZooKeeper backend lists across restarts. */
  readonly stateDir?: string;
  readonly stickyKeys?: StickyKeys;
  /** ZooKeeper session timeout (tests use short ones). */
  readonly zkSessionTimeoutMs?: number;
  /** Passive-health cool-down after a failed attempt (balancer default when unset). */
  readonly coolDownMs?: number;
  /** How long `close()` waits for in-flight requests before destroying them. Default 30000. */
  readonly shutdownTimeoutMs?: number;
  /** Reload when files in `descriptorsDir` change. Default true. */
  readonly watchDescriptors?: boolean;
  /** Quiet time after the last file event before reloading. Default 200 ms. */
  readonly reloadDebounceMs?: number;
  /** Largest request head (bytes) before 431. Default 32768 (SPNEGO tokens can be large). */
  readonly maxHeaderSize?: number;
  /** Most header fields in a request before 431. Default 500. */
  readonly maxHeadersCount?: number;
  /** Time to receive the request head (slowloris). Default 20000 ms. */
  readonly headersTimeoutMs?: number;
  /** Time to receive the whole request. Default 300000 ms; 0 disables (huge uploads). */
  readonly requestTimeoutMs?: number;
  /** Idle keep-alive connections close after this. Default 5000 ms. */
  readonly keepAliveTimeoutMs?: number;
  /** A client that takes none of its answer for this long is disconnected. Default 60000 ms; 0 disables. */
  readonly sendTimeoutMs?: number;
}

/** What one reload did. Topology names in each list; `failures` kept their previous config. */
export interface ReloadResult {
  readonly topologies: number;
  readonly services: number;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  readonly failures: readonly LoadFailure[];
}

/** A descriptor that could not be loaded, with the reason (file:line:col diagnostics). */
export interface LoadFailure {
  readonly file: string;
  readonly message: string;
}

/** One service as the admin listener sees it. */
export interface ServiceView {
  readonly topology: string;
  readonly service: ServiceConfig;
  readonly enabled: boolean;
  /** The backend source's self-description (static / ZooKeeper ensemble, namespace, format). */
  describeSource(): unknown;
  snapshot(): Snapshot | undefined;
  status(): readonly BackendStatus[];
  /** False when `url` is not a current backend of this service. */
  setDraining(url: string, draining: boolean): boolean;
}

/** ZooKeeper session state of one ensemble, as discovery reports it. */
export interface SessionView {
  readonly ensemble: string;
  readonly state: string;
  readonly [key: string]: unknown;
}

/** Read-only view of the live registry (admin's only window into the gateway). */
export interface GatewayView {
  /** Every service of every topology, in descriptor order, from the registry in force now. */
  services(): readonly ServiceView[];
  /** ZooKeeper sessions, one per ensemble. */
  sessions(): readonly SessionView[];
  /** Descriptors that failed on the last (re)load and kept their previous config. */
  failures(): readonly LoadFailure[];
  /** True while `close()` runs. */
  closing(): boolean;
}

/** A running gateway. */
export interface Gateway {
  /** e.g. `http://127.0.0.1:8443` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly gatewayPath: string;
  readonly view: GatewayView;
  /**
   * Reloads descriptors (or installs `topologies` when given). A broken file keeps that
   * topology's previous config; others still reload. Never rejects for a broken descriptor.
   */
  reload(topologies?: readonly TopologyConfig[]): Promise<ReloadResult>;
  /** Graceful: stop accepting, finish in-flight requests up to the deadline, then close everything. */
  close(): Promise<void>;
}
