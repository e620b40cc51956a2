/**
 * The resolved, per-service parts a balancer works with: configuration read once, caches, state
 * and the policy's slot chooser. Built once by {@link createBalancerContext}; internal to balancing.
 */
import type { Clock, Random, ServiceConfig } from '../core/index.js';
import type { BalancerOptions } from './types.js';
import { MAX_RANKED_ROUTES } from '../descriptor/index.js';
import { createBackendIndexCache, type BackendIndexCache } from './backend-index.js';
import { createCoolDownTracker, DEFAULT_COOL_DOWN_MS, type CoolDownTracker } from './health.js';
import { createBackendState, type BackendState } from './backend-state.js';
import { createRecentlyDrained, type RecentlyDrained } from './recently-drained.js';
import { createHealthViewCache, type HealthViewCache } from './health-view.js';
import { createRoundRobin, type RoundRobin } from './round-robin.js';
import { pickLeastRequests } from './least-requests.js';
import { pickRandom } from './random-pick.js';
import { createSetCookieBuilder, createSingleRouteCookies } from './sticky-cookie.js';
import { createPlanCache, type PlanCache } from './plan-cache.js';
import type { BackendIndex } from './backend-index.js';
import type { SlotChooser } from './failover-plan.js';

/** Everything a balancer needs, resolved once per service. */
export interface BalancerContext {
  readonly service: ServiceConfig;
  /** `${stickySessionCookieName}-${name}`, e.g. `KNOX_BACKEND-HIVE`. */
  readonly cookieName: string;
  /** Candidate list cap: maxFailoverAttempts + 1 (dispatch never attempts more). */
  readonly limit: number;
  /** Ranked routes per cookie (≥ 1). */
  readonly maxRoutes: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly indexOf: BackendIndexCache;
  readonly viewOf: HealthViewCache;
  readonly health: CoolDownTracker;
  readonly state: BackendState;
  /** Drained backends that left the list (for the `drained` cause of their sessions' cookies). */
  readonly recentlyDrained: RecentlyDrained;
  readonly rr: RoundRobin;
  /** The configured policy's chooser (advances round robin). */
  readonly choose: SlotChooser;
  readonly buildSetCookie: (value: string) => string;
  /** The Set-Cookie of a one-route cookie naming `position` of `index` (cached when it has no Expires). */
  readonly singleRouteCookie: (index: BackendIndex, position: number) => string;
  /** Shared plans of requests without our cookie: non-sticky ones, and new sticky sessions. */
  readonly plainPlans: PlanCache;
  readonly newSessionPlans: PlanCache;
}

/** Resolves options into a context (defaults: system clock, Math.random, 30 s cool-down). */
export function createBalancerContext(options: BalancerOptions): BalancerContext {
  const service = options.service;
  const clock = options.clock ?? Date.now; // not core's systemClock: balancing loads no runtime code from core
  const random = options.random ?? Math.random;
  const health = createCoolDownTracker(clock, options.coolDownMs ?? DEFAULT_COOL_DOWN_MS);
  const recentlyDrained = createRecentlyDrained(options.keys);
  const state = createBackendState(recentlyDrained);
  const rr = createRoundRobin();
  const cookieName = `${service.stickySessionCookieName}-${service.name}`;
  const buildSetCookie = createSetCookieBuilder({
    name: cookieName,
    path: options.cookiePath,
    secure: options.secure,
    maxAgeSeconds: service.stickySessionCookieMaxAge,
    sameSite: service.stickySessionCookieSameSite,
    clock,
  });
  return {
    service,
    cookieName,
    limit: Math.max(1, service.maxFailoverAttempts + 1),
    // No more routes than a readable cookie value holds (the descriptor refuses more; this guards the API).
    maxRoutes: Math.min(MAX_RANKED_ROUTES, Math.max(1, service.stickySessionRankedRoutes)),
    clock,
    random,
    indexOf: createBackendIndexCache(options.keys),
    viewOf: createHealthViewCache(clock, health, state),
    health,
    state,
    recentlyDrained,
    rr,
    choose: makeChooser(service, rr, state, random),
    buildSetCookie,
    singleRouteCookie: createSingleRouteCookies(buildSetCookie, service.stickySessionCookieMaxAge),
    plainPlans: createPlanCache(),
    newSessionPlans: createPlanCache(),
  };
}

function makeChooser(service: ServiceConfig, rr: RoundRobin, state: BackendState, random: Random): SlotChooser {
  const policy = service.loadBalancingPolicy;
  switch (policy) {
    case 'roundRobin':
      return (pool) => rr.next(pool.length);
    case 'leastRequests':
      return (pool, urls) => pickLeastRequests(pool.length, (slot) => state.inFlight(urls[pool[slot] ?? -1] ?? ''), random);
    case 'random':
      return (pool) => pickRandom(pool.length, random);
    default: {
      const never: never = policy;
      throw new Error(`unknown load balancing policy ${String(never)}`);
    }
  }
}
