/**
 * Defaults of every service attribute and the one constructor of a {@link ServiceConfig}. The XML
 * parser and every test build configs through {@link makeServiceConfig}, so effective flags and the
 * backend source are always derived the same way.
 */
import type { ServiceConfig, ZookeeperFormat, BackendSourceConfig, CookielessAffinity } from '../core/index.js';

/** Knox's defaults (notes/knox.md §1) and ours (SPEC §3). */
export const DEFAULT_MAX_FAILOVER_ATTEMPTS = 3;
export const DEFAULT_FAILOVER_SLEEP_MS = 1000;
export const DEFAULT_STICKY_COOKIE_NAME = 'KNOX_BACKEND';
export const DEFAULT_DISABLED_USER_AGENTS: readonly string[] = Object.freeze(['ClouderaODBCDriverforApacheHive']);
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 60000;
export const DEFAULT_REPLAY_BUFFER_SIZE = 65536;
export const DEFAULT_RANKED_ROUTES = 1;
/**
 * Most ranked routes a sticky cookie carries: 15 tokens of 64 characters and their dots make 974,
 * within the 1,024 characters a sticky cookie value may have (longer values are read as garbage).
 */
export const MAX_RANKED_ROUTES = 15;

/** Knox's role → ZooKeeper format mapping; other roles read one URL per child (`url`). */
export function defaultZookeeperFormat(role: string): ZookeeperFormat {
  switch (role.toUpperCase()) {
    case 'HIVE': return 'hive';
    case 'WEBHBASE': return 'hbase';
    case 'KAFKA': return 'kafka';
    case 'SOLR': return 'solr';
    case 'ATLAS':
    case 'ATLAS-API': return 'atlas';
    default: return 'url';
  }
}

/** Fields a caller may give; everything else takes its default. */
export type ServiceConfigInput = { readonly name: string } & Partial<Omit<ServiceConfig, 'name' | 'source' | 'effective'>>;

/**
 * Builds a frozen, fully defaulted ServiceConfig. Values are trusted (validation happens in the
 * descriptor parser); effective flags follow Knox: sticky only with load balancing (KNOX-2545),
 * noFallback only with sticky.
 */
export function makeServiceConfig(input: ServiceConfigInput): ServiceConfig {
  const name = input.name;
  const urls = Object.freeze([...(input.urls ?? [])]);
  const { source, ensemble, namespace, format } = sourceOf(input, urls);
  const enableLoadBalancing = input.enableLoadBalancing ?? false;
  const enableStickySession = input.enableStickySession ?? false;
  const noFallback = input.noFallback ?? false;
  const affinity: CookielessAffinity = input.cookielessAffinity ?? { kind: 'pinned' };
  return Object.freeze({
    name,
    path: input.path ?? name.toLowerCase(),
    enabled: input.enabled ?? true,
    maxFailoverAttempts: input.maxFailoverAttempts ?? DEFAULT_MAX_FAILOVER_ATTEMPTS,
    failoverSleep: input.failoverSleep ?? DEFAULT_FAILOVER_SLEEP_MS,
    zookeeperEnsemble: ensemble,
    zookeeperNamespace: namespace,
    zookeeperFormat: format,
    enableLoadBalancing,
    enableStickySession,
    stickySessionCookieName: input.stickySessionCookieName ?? DEFAULT_STICKY_COOKIE_NAME,
    noFallback,
    disableLoadBalancingForUserAgents: Object.freeze([...(input.disableLoadBalancingForUserAgents ?? DEFAULT_DISABLED_USER_AGENTS)]),
    failoverNonIdempotentRequestEnabled: input.failoverNonIdempotentRequestEnabled ?? false,
    connectTimeout: input.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
    responseTimeout: input.responseTimeout ?? DEFAULT_RESPONSE_TIMEOUT_MS,
    replayBufferSize: input.replayBufferSize ?? DEFAULT_REPLAY_BUFFER_SIZE,
    stickySessionCookieMaxAge: input.stickySessionCookieMaxAge,
    stickySessionCookieSameSite: input.stickySessionCookieSameSite,
    stickySessionRankedRoutes: input.stickySessionRankedRoutes ?? DEFAULT_RANKED_ROUTES,
    loadBalancingPolicy: input.loadBalancingPolicy ?? 'roundRobin',
    cookielessAffinity: Object.freeze({ ...affinity }),
    urls,
    source,
    effective: effectiveFlags(enableLoadBalancing, enableStickySession, noFallback),
  });
}

/** Where the backends come from: ZooKeeper when an ensemble is set (ZooKeeper wins), else the URLs. */
function sourceOf(input: ServiceConfigInput, urls: readonly string[]): {
  source: BackendSourceConfig; ensemble: string | undefined; namespace: string | undefined; format: ZookeeperFormat;
} {
  const ensemble = blankToUndefined(input.zookeeperEnsemble);
  const namespace = normaliseNamespace(input.zookeeperNamespace);
  const format = input.zookeeperFormat ?? defaultZookeeperFormat(input.name);
  const source: BackendSourceConfig = ensemble
    ? Object.freeze({ kind: 'zookeeper', ensemble, namespace, format })
    : Object.freeze({ kind: 'static', urls });
  return { source, ensemble, namespace, format };
}

/** Knox's effective flags: sticky only with load balancing (KNOX-2545), noFallback only with sticky. */
function effectiveFlags(loadBalancing: boolean, sticky: boolean, noFallback: boolean): ServiceConfig['effective'] {
  const stickySession = loadBalancing && sticky;
  return Object.freeze({ loadBalancing, stickySession, noFallback: stickySession && noFallback });
}

function blankToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** Knox normalises Atlas/HBase namespaces with or without a leading slash (KNOX-1231); so do we, for all. */
function normaliseNamespace(v: string | undefined): string | undefined {
  const t = blankToUndefined(v);
  if (t === undefined) return undefined;
  const stripped = t.replace(/^\/+/, '').replace(/\/+$/, '');
  return stripped === '' ? undefined : stripped;
}
