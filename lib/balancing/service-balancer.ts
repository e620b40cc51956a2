/**
 * The composition: one {@link ServiceBalancer} per service (role). Pure: no I/O; time and
 * randomness come from the options. Per-snapshot data (hashes, tokens, seeds) is precomputed once
 * per Snapshot object; per-request work is O(candidates) except rendezvous (O(backends), only for
 * excluded User-Agents) and least-requests/cool-down view rebuilds after a health change.
 */
import type { BackendStatus, BalancerOptions, ServiceBalancer } from './types.js';
import { createBalancerContext } from './balancer-context.js';
import { planRequest } from './plan-request.js';
import { stickyCookieFor } from './sticky-plan.js';
import { stripCookie } from './cookie-header.js';

/**
 * Creates the balancer of `options.service`. Behaviour (SPEC §4): active/passive without load
 * balancing; `loadBalancingPolicy` over healthy, non-draining backends with load balancing; sticky
 * cookies (Knox format, ranked routes, optional HMAC signing) when sticky is effective; cookieless
 * affinity for excluded User-Agents; passive-health cool-downs; draining. Never throws at request
 * time. Plans and statuses are fresh objects the caller must not mutate.
 */
export function createServiceBalancer(options: BalancerOptions): ServiceBalancer {
  const ctx = createBalancerContext(options);
  const { health, state } = ctx;
  return {
    plan: (snapshot, facts) => planRequest(ctx, snapshot, facts),
    setCookieFor: (plan, served) => stickyCookieFor(ctx, plan.token, served),
    stripStickyCookie: (cookieHeader) => stripCookie(cookieHeader, ctx.cookieName),
    reportFailure: (url) => health.reportFailure(url),
    reportSuccess: (url) => health.reportSuccess(url),
    begin: (url) => state.begin(url),
    end: (url) => state.end(url),
    setDraining(snapshot, url, draining) {
      if (!ctx.indexOf(snapshot).byUrl.has(url)) return false;
      state.setDraining(url, draining);
      return true;
    },
    status(snapshot) {
      const index = ctx.indexOf(snapshot);
      ctx.viewOf(index); // prunes state of departed backends
      const now = ctx.clock();
      return Object.freeze(index.urls.map((url): BackendStatus => {
        const coolingUntil = health.coolingUntil(url, now);
        const draining = state.isDraining(url);
        return Object.freeze({
          url,
          state: draining ? 'draining' : coolingUntil !== undefined ? 'cooling_down' : 'up',
          inFlight: state.inFlight(url),
          drainingSessions: state.drainingSessions(url),
          coolingUntil,
        });
      }));
    },
  };
}
