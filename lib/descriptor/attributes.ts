/**
 * The registry of service attributes (= topology parameter keys): how each is parsed and how
 * {@link storeDescriptor} writes it. A mapped type keeps the registry in step with ServiceConfig.
 */
import type { CookielessAffinity, ServiceConfig } from '../core/index.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_RANKED_ROUTES, DEFAULT_REPLAY_BUFFER_SIZE, DEFAULT_RESPONSE_TIMEOUT_MS, MAX_RANKED_ROUTES,
  defaultZookeeperFormat, type ServiceConfigInput,
} from './service-config.js';
import {
  fail, ok, parseBoolean, parseChoice, parseInteger, parsePathSegment, parseString, parseToken, parseUserAgents,
  TOKEN, type ParseOutcome,
} from './value-parsers.js';
import { checkZookeeperEnsemble } from './zookeeper-ensemble.js';

/** 1..{@link MAX_RANKED_ROUTES}: a cookie of more routes would be too long to be read back. */
function parseRankedRoutes(raw: string): ParseOutcome<number> {
  const n = parseInteger(raw, 1);
  if (n.ok && n.value > MAX_RANKED_ROUTES) return fail(`must be at most ${MAX_RANKED_ROUTES} (a longer sticky cookie could not be read back), got "${raw}"`);
  return n;
}

/** Every attribute name a `<service>` element may carry. */
export type AttributeName = Exclude<keyof ServiceConfigInput, 'urls'>;

/** How one attribute is read and written. */
export interface AttributeSpec<K extends AttributeName> {
  /** `knox`: Knox's own attribute; `ours`: a hadispatch extension Knox ignores. */
  readonly origin: 'knox' | 'ours';
  /** Parses a trimmed, non-blank value. */
  readonly parse: (raw: string) => ParseOutcome<Exclude<ServiceConfigInput[K], undefined>>;
  /** The value to write, or undefined to leave the attribute out. */
  readonly store: (svc: ServiceConfig) => string | undefined;
}

const always = (v: string | number | boolean): string => String(v);
const unlessDefault = <T>(v: T, dflt: T): string | undefined => (v === dflt ? undefined : String(v));

function parseAffinity(raw: string): ParseOutcome<CookielessAffinity> {
  const lower = raw.toLowerCase();
  if (lower === 'pinned') return ok({ kind: 'pinned' });
  if (lower === 'client-ip') return ok({ kind: 'client-ip' });
  if (lower.startsWith('header:')) {
    const name = raw.slice('header:'.length).trim();
    if (TOKEN.test(name)) return ok({ kind: 'header', name });
    return fail(`header:NAME needs an HTTP header name, got "${raw}"`);
  }
  return fail(`expected pinned, client-ip or header:NAME, got "${raw}"`);
}

function storeAffinity(a: CookielessAffinity): string | undefined {
  switch (a.kind) {
    case 'pinned': return undefined;
    case 'client-ip': return 'client-ip';
    case 'header': return `header:${a.name}`;
    default: { const never: never = a; return never; }
  }
}

function parseEnsemble(raw: string): ParseOutcome<string> {
  const problem = checkZookeeperEnsemble(raw);
  return problem === undefined ? ok(raw) : fail(problem);
}

const bool = (get: (s: ServiceConfig) => boolean) => ({ origin: 'knox', parse: parseBoolean, store: (s: ServiceConfig) => always(get(s)) }) as const;

/** The registry. Knox's always-written attributes store unconditionally; ours only when not default. */
export const ATTRIBUTES: { readonly [K in AttributeName]: AttributeSpec<K> } = Object.freeze({
  name: { origin: 'knox', parse: (raw: string) => parseToken(raw, 'a service name'), store: (s: ServiceConfig) => s.name },
  enabled: bool((s) => s.enabled),
  maxFailoverAttempts: { origin: 'knox', parse: (raw: string) => parseInteger(raw, 0), store: (s: ServiceConfig) => always(s.maxFailoverAttempts) },
  failoverSleep: { origin: 'knox', parse: (raw: string) => parseInteger(raw, 0), store: (s: ServiceConfig) => always(s.failoverSleep) },
  zookeeperEnsemble: { origin: 'knox', parse: parseEnsemble, store: (s: ServiceConfig) => s.zookeeperEnsemble },
  zookeeperNamespace: { origin: 'knox', parse: parseString, store: (s: ServiceConfig) => s.zookeeperNamespace },
  enableLoadBalancing: bool((s) => s.enableLoadBalancing),
  enableStickySession: bool((s) => s.enableStickySession),
  stickySessionCookieName: {
    origin: 'knox', parse: (raw: string) => parseToken(raw, 'a cookie name'), store: (s: ServiceConfig) => s.stickySessionCookieName,
  },
  noFallback: bool((s) => s.noFallback),
  disableLoadBalancingForUserAgents: {
    origin: 'knox', parse: parseUserAgents,
    store: (s: ServiceConfig) => (s.disableLoadBalancingForUserAgents.length > 0 ? s.disableLoadBalancingForUserAgents.join(',') : undefined),
  },
  failoverNonIdempotentRequestEnabled: bool((s) => s.failoverNonIdempotentRequestEnabled),
  path: { origin: 'ours', parse: parsePathSegment, store: (s: ServiceConfig) => unlessDefault(s.path, s.name.toLowerCase()) },
  zookeeperFormat: {
    origin: 'ours', parse: (raw: string) => parseChoice(raw, ['hive', 'hbase', 'kafka', 'solr', 'atlas', 'curator', 'url'] as const),
    store: (s: ServiceConfig) => unlessDefault(s.zookeeperFormat, defaultZookeeperFormat(s.name)),
  },
  connectTimeout: { origin: 'ours', parse: (raw: string) => parseInteger(raw, 1), store: (s: ServiceConfig) => unlessDefault(s.connectTimeout, DEFAULT_CONNECT_TIMEOUT_MS) },
  responseTimeout: { origin: 'ours', parse: (raw: string) => parseInteger(raw, 1), store: (s: ServiceConfig) => unlessDefault(s.responseTimeout, DEFAULT_RESPONSE_TIMEOUT_MS) },
  replayBufferSize: { origin: 'ours', parse: (raw: string) => parseInteger(raw, 0), store: (s: ServiceConfig) => unlessDefault(s.replayBufferSize, DEFAULT_REPLAY_BUFFER_SIZE) },
  stickySessionCookieMaxAge: { origin: 'ours', parse: (raw: string) => parseInteger(raw, 1), store: (s: ServiceConfig) => unlessDefault(s.stickySessionCookieMaxAge, undefined) },
  stickySessionCookieSameSite: {
    origin: 'ours', parse: (raw: string) => parseChoice(raw, ['Strict', 'Lax', 'None'] as const),
    store: (s: ServiceConfig) => s.stickySessionCookieSameSite,
  },
  stickySessionRankedRoutes: { origin: 'ours', parse: parseRankedRoutes, store: (s: ServiceConfig) => unlessDefault(s.stickySessionRankedRoutes, DEFAULT_RANKED_ROUTES) },
  loadBalancingPolicy: {
    origin: 'ours', parse: (raw: string) => parseChoice(raw, ['roundRobin', 'leastRequests', 'random'] as const),
    store: (s: ServiceConfig) => unlessDefault(s.loadBalancingPolicy, 'roundRobin'),
  },
  cookielessAffinity: { origin: 'ours', parse: parseAffinity, store: (s: ServiceConfig) => storeAffinity(s.cookielessAffinity) },
});

/** Every attribute name, in registry order. */
export const ATTRIBUTE_NAMES: readonly AttributeName[] = Object.freeze(Object.keys(ATTRIBUTES) as AttributeName[]);

/** Keys Knox removed (KNOX-2346) or never read; accepted with a warning and ignored, dropped by migrate. */
export const REMOVED_KNOX_KEYS: readonly string[] = Object.freeze(['maxRetryAttempts', 'retrySleep', 'failoverLimit']);

/** True for a known attribute name (exact, case-sensitive as in Knox). */
export function isAttributeName(name: string): name is AttributeName {
  return Object.hasOwn(ATTRIBUTES, name);
}

/** Parses `raw` (trimmed here) for attribute `name`; a blank value yields undefined (default). */
export function parseAttribute(name: AttributeName, raw: string): ParseOutcome<unknown> | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  return (ATTRIBUTES[name].parse as (v: string) => ParseOutcome<unknown>)(value);
}
