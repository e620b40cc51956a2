/**
 * Balancing: picks backends, reads and writes sticky cookies, tracks passive health, draining and
 * in-flight counts. Pure (no I/O); other folders import only from here.
 */
export type {
  RequestFacts, StickyKeys, StickyReassignCause, StickyOutcome, StickyState, Plan, BackendStatus,
  ServiceBalancer, BalancerOptions,
} from './types.js';
export { createServiceBalancer } from './service-balancer.js';
export { DEFAULT_COOL_DOWN_MS } from './health.js';
export { MAX_COOKIE_VALUE_LENGTH } from './sticky-cookie.js';
export { sha256Hex as knoxCookieValue } from './hash.js';
