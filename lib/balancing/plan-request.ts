/**
 * One request's plan: active/passive without load balancing, cookieless affinity for excluded
 * User-Agents, the policy order for plain load balancing, and sticky planning otherwise.
 */
import type { Plan, RequestFacts, StickyState } from './types.js';
import type { BalancerContext } from './balancer-context.js';
import type { HealthView } from './health-view.js';
import { toUrls } from './backend-index.js';
import { hasCookie } from './cookie-header.js';
import { appendActivePassive, appendPolicyOrderFrom, choosePolicySlot } from './failover-plan.js';
import { appendByRendezvous } from './rendezvous.js';
import { isUserAgentExcluded } from './user-agent.js';
import { planSticky } from './sticky-plan.js';
import type { Snapshot } from '../core/index.js';

const NONE: StickyState = Object.freeze({ kind: 'none' });
const NO_TOKEN = Object.freeze({});

/**
 * Plans one request (see {@link ServiceBalancer.plan}). `candidates` holds at most
 * maxFailoverAttempts + 1 distinct backends; `cookieCarried` reports any cookie of our name even
 * when sticky does not apply.
 */
export function planRequest(ctx: BalancerContext, snapshot: Snapshot, facts: RequestFacts): Plan {
  const view = ctx.viewOf(ctx.indexOf(snapshot));
  const effective = ctx.service.effective;
  const excluded = effective.loadBalancing && isUserAgentExcluded(ctx.service.disableLoadBalancingForUserAgents, facts.userAgent);
  // Sticky planning reads the cookie itself (and so knows whether one was carried).
  if (effective.loadBalancing && effective.stickySession && !excluded) return planSticky(ctx, view, facts.cookieHeader);
  const cookieCarried = hasCookie(facts.cookieHeader, ctx.cookieName);
  if (excluded) {
    const out: number[] = [];
    appendCookieless(ctx, view, facts, out);
    return plainPlan(view, out, cookieCarried);
  }
  // Active/passive (slot 0) or the policy order: shared per (view, slot) when no cookie of ours is carried.
  const slot = effective.loadBalancing ? choosePolicySlot(view, ctx.choose) : 0;
  const cached = cookieCarried ? undefined : ctx.plainPlans.get(view, slot);
  if (cached !== undefined) return cached;
  const out: number[] = [];
  appendPolicyOrderFrom(view, slot, ctx.limit, out);
  const plan = plainPlan(view, out, cookieCarried);
  return cookieCarried ? plan : ctx.plainPlans.set(view, slot, plan);
}

function plainPlan(view: HealthView, out: readonly number[], cookieCarried: boolean): Plan {
  return { candidates: toUrls(view.index, out), sticky: NONE, cookieCarried, restricted: false, token: NO_TOKEN };
}

/**
 * Routing for excluded User-Agents (`cookielessAffinity`): `pinned` is Knox's single backend — the
 * first healthy one in list order (not Knox's KNOX-3041 bug of pinning to the last failed URL);
 * `client-ip` and `header:NAME` rank backends by rendezvous hash of the key (a missing or empty
 * header falls back to the client IP), healthy ones first.
 */
function appendCookieless(ctx: BalancerContext, view: HealthView, facts: RequestFacts, out: number[]): void {
  const affinity = ctx.service.cookielessAffinity;
  switch (affinity.kind) {
    case 'pinned':
      appendActivePassive(view, ctx.limit, out);
      return;
    case 'client-ip':
    case 'header': {
      const key = affinity.kind === 'header' && facts.affinityKey ? facts.affinityKey : facts.clientIp;
      const { seeds, urls } = view.index;
      for (const pool of [view.eligible, view.draining, view.cooling]) appendByRendezvous(key, pool, seeds, urls, ctx.limit, out);
      return;
    }
    default: {
      const never: never = affinity;
      throw new Error(`unknown cookieless affinity ${String(never)}`);
    }
  }
}
