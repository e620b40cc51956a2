/**
 * The failover loop (SPEC §4): after a failed attempt, report it to the balancer (passive health),
 * then retry on the plan's next candidate after `failoverSleep` ms, or end the request with the
 * error {@link decideNext} chose. Nothing here runs once response bytes reached the client.
 */
import { DispatchError, errFields, type HaError } from '../core/index.js';
import { forwardAttempt } from './attempt.js';
import { isBodyReplayable } from './body.js';
import { sendError } from './error-response.js';
import { finishExchange, type AttemptFailure, type Exchange } from './exchange.js';
import { decideNext, type AttemptFailureKind, type FailoverFacts } from './failover-policy.js';
import { locateBackend, type Target } from './targets.js';

function factsOf(ex: Exchange, failure: AttemptFailureKind): FailoverFacts {
  const service = ex.shared.service;
  return {
    failure,
    attempt: ex.attempt,
    maxFailoverAttempts: service.maxFailoverAttempts,
    candidates: ex.plan.candidates.length,
    restricted: ex.plan.restricted,
    replayable: ex.replayable,
    bodyReplayable: isBodyReplayable(ex.body),
  };
}

/** True when a standby answer of the current attempt may be retried elsewhere (else it is passed on as-is). */
export function canFailOver(ex: Exchange): boolean {
  return !ex.clientGone && decideNext(factsOf(ex, 'standby')).kind === 'retry';
}

/** Ends the exchange with an error response we produce. */
export function respondError(ex: Exchange, err: HaError): void {
  if (ex.done) return;
  const shared = ex.shared;
  sendError(ex.res, err, shared.traffic.closing);
  shared.metrics.duration.observe((shared.clock() - ex.startedAt) / 1000);
  shared.metrics.requests(undefined, err.status ?? 500).inc();
  finishExchange(ex);
}

/** A failed attempt (before anything was sent to the client). */
export function onAttemptFailed(ex: Exchange, target: Target | undefined, failure: AttemptFailure): void {
  const shared = ex.shared;
  if (target !== undefined) shared.balancer.end(target.url);
  if (ex.done) return;
  if (ex.clientGone || failure.kind === 'client') { finishExchange(ex); return; }
  const backendFault = failure.kind === 'connect' || failure.kind === 'timeout' || failure.kind === 'aborted';
  if (target !== undefined && backendFault) shared.balancer.reportFailure(target.url);
  const fields = { role: shared.role, backend: target?.origin, attempt: ex.attempt + 1, kind: failure.kind, ...errFields(failure.error.cause) };
  if (failure.kind === 'internal') shared.log.error('attempt failed unexpectedly', fields);
  else shared.log.warn('backend attempt failed', fields);
  const next = decideNext(factsOf(ex, failure.kind));
  switch (next.kind) {
    case 'retry':
      retry(ex, failure.kind);
      return;
    case 'give-up': {
      if (next.noFallback) {
        shared.metrics.noFallback.inc();
        shared.log.warn('failover disabled by noFallback', { role: shared.role, attempt: ex.attempt + 1 });
      }
      const err = next.code === failure.error.code ? failure.error : new DispatchError(next.code, failure.error.message, { cause: failure.error });
      respondError(ex, err);
      return;
    }
    default: {
      const never: never = next;
      return never;
    }
  }
}

/** A standby answer: fail over, to the answer's Location when it names another backend (YARN RM). */
export function onStandby(ex: Exchange, target: Target, status: number, location: string | undefined): void {
  const shared = ex.shared;
  shared.balancer.end(target.url);
  if (ex.done) return;
  shared.balancer.reportFailure(target.url);
  shared.log.warn('backend is standby', { role: shared.role, backend: target.origin, attempt: ex.attempt + 1, status });
  if (shared.standby?.followLocation === true && location !== undefined) {
    const active = locateBackend(location, ex.table.byLongestBase)?.target;
    // A restricted plan (noFallback with a valid cookie) never leaves its cookie's routes.
    const allowed = !ex.plan.restricted || ex.plan.candidates.includes(active?.url ?? '');
    if (active !== undefined && active.url !== target.url && allowed) ex.nextUrl = active.url;
  }
  retry(ex, 'standby');
}

function retry(ex: Exchange, kind: AttemptFailureKind): void {
  const shared = ex.shared;
  const reason = kind === 'timeout' || kind === 'aborted' || kind === 'standby' ? kind : 'connect';
  shared.metrics.failover(reason).inc();
  ex.attempt++;
  const ms = shared.service.failoverSleep;
  if (ms > 0) shared.sleep(ms).then(() => { resumeAfterSleep(ex); }, () => { resumeAfterSleep(ex); });
  else setImmediate(resumeAfterSleep, ex);
}

function resumeAfterSleep(ex: Exchange): void {
  if (ex.done) return;
  if (ex.clientGone) { finishExchange(ex); return; }
  forwardAttempt(ex);
}
