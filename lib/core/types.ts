/**
 * The shared vocabulary. A *role* is a Knox service such as HIVE; a *backend* is one URL; a
 * *descriptor* is one XML file (served as one topology); a *snapshot* is a role's backends at one
 * moment; an *attempt* is one try against one backend.
 */

/** How znodes are turned into backend URLs (SPEC §5). */
export type ZookeeperFormat = 'hive' | 'hbase' | 'kafka' | 'solr' | 'atlas' | 'curator' | 'url';

/** How a load-balanced service picks a backend for a request without a (valid) sticky cookie. */
export type LoadBalancingPolicy = 'roundRobin' | 'leastRequests' | 'random';

/** SameSite attribute of the sticky cookie. */
export type SameSite = 'Strict' | 'Lax' | 'None';

/** Where user agents listed in `disableLoadBalancingForUserAgents` are routed. */
export type CookielessAffinity =
  | { readonly kind: 'pinned' }
  | { readonly kind: 'client-ip' }
  | { readonly kind: 'header'; readonly name: string };

/** Where a service's backend list comes from. */
export type BackendSourceConfig =
  | { readonly kind: 'static'; readonly urls: readonly string[] }
  | {
      readonly kind: 'zookeeper';
      /** Ensemble string as configured, possibly with a chroot suffix (`h1:2181,h2:2181/chroot`). */
      readonly ensemble: string;
      /** Namespace without leading slash, or undefined. */
      readonly namespace: string | undefined;
      readonly format: ZookeeperFormat;
    };

/** The flags dispatch actually acts on (Knox: sticky only with LB, noFallback only with sticky). */
export interface EffectiveFlags {
  readonly loadBalancing: boolean;
  readonly stickySession: boolean;
  readonly noFallback: boolean;
}

/**
 * One service (role) of a topology, fully defaulted, validated and frozen. Knox attribute names are
 * kept verbatim. Times are milliseconds, sizes bytes, `stickySessionCookieMaxAge` seconds.
 */
export interface ServiceConfig {
  readonly name: string;
  readonly path: string;
  readonly enabled: boolean;
  readonly maxFailoverAttempts: number;
  readonly failoverSleep: number;
  readonly zookeeperEnsemble: string | undefined;
  readonly zookeeperNamespace: string | undefined;
  readonly zookeeperFormat: ZookeeperFormat;
  readonly enableLoadBalancing: boolean;
  readonly enableStickySession: boolean;
  readonly stickySessionCookieName: string;
  readonly noFallback: boolean;
  readonly disableLoadBalancingForUserAgents: readonly string[];
  readonly failoverNonIdempotentRequestEnabled: boolean;
  readonly connectTimeout: number;
  readonly responseTimeout: number;
  readonly replayBufferSize: number;
  readonly stickySessionCookieMaxAge: number | undefined;
  readonly stickySessionCookieSameSite: SameSite | undefined;
  readonly stickySessionRankedRoutes: number;
  readonly loadBalancingPolicy: LoadBalancingPolicy;
  readonly cookielessAffinity: CookielessAffinity;
  /** Static URLs (child `<url>` elements or topology `<service><url>`), exactly as listed. */
  readonly urls: readonly string[];
  readonly source: BackendSourceConfig;
  readonly effective: EffectiveFlags;
}

/** One descriptor file, loaded: served as topology `name` (the file name without `.xml`). */
export interface TopologyConfig {
  readonly name: string;
  readonly file: string;
  readonly kind: 'ha' | 'topology';
  readonly services: readonly ServiceConfig[];
}

/** One backend in a snapshot. `znode` is set for ZooKeeper-discovered backends. */
export interface BackendEntry {
  readonly url: string;
  readonly znode?: string;
}

/** A role's backend list at one moment: immutable, replaced whole. */
export interface Snapshot {
  readonly backends: readonly BackendEntry[];
  /** Where the list came from: the descriptor, ZooKeeper, or the state dir (last known list at start). */
  readonly origin: 'static' | 'zookeeper' | 'state-dir';
  /** Epoch ms when this list was produced. */
  readonly updatedAt: number;
}

/** Current wall-clock time in ms; a parameter wherever time matters, so tests need no fake timers. */
export type Clock = () => number;

/** Resolves after `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** A number in [0, 1). */
export type Random = () => number;

/** Default clock. */
export const systemClock: Clock = () => Date.now();

/** Default sleep. */
export const systemSleep: Sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms).unref?.(); });
