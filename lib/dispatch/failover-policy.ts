/**
 * The pure failover decision (SPEC §4): after attempt `attempt` (0-based) failed, is there a next
 * attempt, or which error ends the request? Knox rules: at most `maxFailoverAttempts` retries;
 * connection failures and standby answers are retried for every method, timeouts and aborts only
 * for idempotent methods (or with `failoverNonIdempotentRequestEnabled`), and only while the
 * request body can be replayed. A restricted plan (noFallback with the sticky cookie) never leaves
 * its candidates: when they are used up the request ends in HAD_ERR_FAILOVER_DISABLED.
 */
import type { ErrorCode } from '../core/index.js';
import { retryVerdict, type FailureKind } from './map-error.js';

/** A failed attempt's kind: an upstream failure, or a standby answer (a response, not an error). */
export type AttemptFailureKind = FailureKind | 'standby';

/** What happens after a failed attempt. */
export type AttemptResult =
  | { readonly kind: 'retry' }
  | { readonly kind: 'give-up'; readonly code: ErrorCode; readonly noFallback: boolean };

/** Inputs of {@link decideNext}. */
export interface FailoverFacts {
  readonly failure: AttemptFailureKind;
  /** 0-based index of the attempt that failed. */
  readonly attempt: number;
  readonly maxFailoverAttempts: number;
  readonly candidates: number;
  readonly restricted: boolean;
  /** Idempotent method, or the Knox flag. */
  readonly replayable: boolean;
  readonly bodyReplayable: boolean;
}

const FINAL_CODE: Readonly<Record<AttemptFailureKind, ErrorCode>> = {
  connect: 'HAD_ERR_UPSTREAM_CONNECT',
  timeout: 'HAD_ERR_UPSTREAM_TIMEOUT',
  aborted: 'HAD_ERR_UPSTREAM_ABORTED',
  standby: 'HAD_ERR_UPSTREAM_CONNECT',
  invalid: 'HAD_ERR_REQUEST_INVALID',
  client: 'HAD_ERR_UPSTREAM_ABORTED',
  internal: 'HAD_ERR_GATEWAY_INTERNAL',
};

function giveUp(code: ErrorCode, noFallback = false): AttemptResult {
  return { kind: 'give-up', code, noFallback };
}

/** Decides the step after a failed attempt. */
export function decideNext(f: FailoverFacts): AttemptResult {
  const verdict = f.failure === 'standby'
    ? (f.bodyReplayable ? 'retry' : 'body-consumed')
    : retryVerdict(f.failure, f.replayable, f.bodyReplayable);
  switch (verdict) {
    case 'final':
    case 'body-consumed':
      return giveUp(FINAL_CODE[f.failure]);
    case 'non-idempotent':
      // A timeout stays a 504 (KNOX-2095); a broken connection on a POST is Knox's non-idempotent 502.
      return giveUp(f.failure === 'timeout' ? 'HAD_ERR_UPSTREAM_TIMEOUT' : 'HAD_ERR_NON_IDEMPOTENT');
    case 'retry':
      break;
    default: {
      const never: never = verdict;
      return never;
    }
  }
  if (f.restricted && f.attempt + 1 >= f.candidates) return giveUp('HAD_ERR_FAILOVER_DISABLED', true);
  if (f.attempt + 1 > f.maxFailoverAttempts) return giveUp(FINAL_CODE[f.failure]);
  return { kind: 'retry' };
}
