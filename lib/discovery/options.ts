/** Defaults of the discovery options, and the back-off formula. */
import { systemClock, type Random } from '../core/index.js';
import type { BackoffOptions, DiscoveryOptions, ResolvedOptions } from './types.js';

/** Default ZooKeeper session timeout (Knox's Curator default is 60 s; we want outages noticed sooner). */
export const DEFAULT_SESSION_TIMEOUT_MS = 10000;
/** Default time to establish a session and default per-call timeout. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_CALL_TIMEOUT_MS = 5000;
/** Default back-off: 250 ms doubling up to 15 s. */
export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({ baseMs: 250, maxMs: 15000 });

/** Fills in every default; the result is frozen. */
export function resolveOptions(options: DiscoveryOptions = {}): ResolvedOptions {
  return Object.freeze({
    stateDir: options.stateDir,
    sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
  });
}

/**
 * Delay before retry number `attempt` (0-based): `min(maxMs, baseMs·2^attempt)`, scaled by a
 * random factor in [0.5, 1) so that many gateways do not reconnect in lock-step.
 */
export function backoffDelay(attempt: number, backoff: BackoffOptions, random: Random): number {
  const capped = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(capped * (0.5 + random() / 2));
}
