/** Settings that have no effect because another setting switches them off (Knox KNOX-2545). */
import type { ServiceConfig } from '../core/index.js';
import type { AttributeName } from './attributes.js';

/** One ineffective setting and why. */
export interface Ineffective {
  readonly key: AttributeName;
  readonly reason: string;
}

const NOT_STICKY = 'sticky sessions are not effective (they need enableLoadBalancing and enableStickySession)';

/**
 * The settings of `svc` that are set to a non-default value but have no effect: sticky without load
 * balancing, noFallback without effective sticky, cookie options without sticky, a policy without
 * load balancing.
 */
export function ineffectiveSettings(svc: ServiceConfig): readonly Ineffective[] {
  const out: Ineffective[] = [];
  if (svc.enableStickySession && !svc.enableLoadBalancing) out.push({ key: 'enableStickySession', reason: 'enableLoadBalancing is false' });
  if (svc.noFallback && !svc.effective.stickySession) {
    out.push({ key: 'noFallback', reason: svc.enableStickySession ? 'enableLoadBalancing is false' : 'enableStickySession is false' });
  }
  if (!svc.effective.stickySession) {
    if (svc.stickySessionCookieMaxAge !== undefined) out.push({ key: 'stickySessionCookieMaxAge', reason: NOT_STICKY });
    if (svc.stickySessionCookieSameSite !== undefined) out.push({ key: 'stickySessionCookieSameSite', reason: NOT_STICKY });
    if (svc.stickySessionRankedRoutes !== 1) out.push({ key: 'stickySessionRankedRoutes', reason: NOT_STICKY });
  }
  if (!svc.enableLoadBalancing && svc.loadBalancingPolicy !== 'roundRobin') out.push({ key: 'loadBalancingPolicy', reason: 'enableLoadBalancing is false' });
  return out;
}
