/**
 * Dispatch: forwards one service's requests to its backends with failover (undici lives only
 * here). The gateway creates one {@link UpstreamPools} for the process and one
 * {@link ServiceDispatcher} per service (replaced on reload).
 */
export * from './types.js';
export { createUpstreamPools, type UpstreamPoolsOptions } from './pools.js';
export { createServiceDispatcher } from './dispatcher.js';
export { sendError, rawErrorResponse } from './error-response.js';
export {
  mapUpstreamError, classifyCode, isIdempotentMethod, retryVerdict,
  type FailureKind, type UpstreamFailure, type RetryVerdict,
} from './map-error.js';
export { standbyDetectorFor, type StandbyDetector } from './standby.js';
