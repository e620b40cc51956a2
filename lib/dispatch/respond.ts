/**
 * The client side of a successful attempt: commit the response headers (after the response
 * passes), finish, or break the connection when the backend dies mid-body. Once committed nothing
 * is retried (SPEC §4).
 */
import { errFields } from '../core/index.js';
import { finishExchange, type Exchange } from './exchange.js';
import { runResponsePasses, type ResponsePassContext } from './passes/response.js';
import type { Target } from './targets.js';

/**
 * Sends the backend's status and headers (hop-by-hop dropped, Location rewritten, sticky cookie
 * appended) to the client. False when Node refused the headers (nothing was sent).
 */
export function commitResponse(ex: Exchange, target: Target, status: number, raw: readonly (Buffer | string)[]): boolean {
  const shared = ex.shared;
  const ctx: ResponsePassContext = {
    settings: shared.responseSettings, raw, host: ex.host, targets: ex.table.byLongestBase,
    plan: ex.plan, served: target.url, headers: [], locationAt: -1,
  };
  runResponsePasses(ctx);
  // Shutting down: the client learns now that this connection ends with this response.
  if (shared.traffic.closing) ctx.headers.push('connection', 'close');
  try {
    ex.res.writeHead(status, ctx.headers);
  } catch {
    return false;
  }
  ex.committed = true;
  ex.status = status;
  shared.metrics.duration.observe((shared.clock() - ex.startedAt) / 1000);
  // A status the standby detector watches may be a standby answer passed on because no retry was
  // left: it must not clear the backend's cool-down.
  if (shared.standby?.statuses.has(status) !== true) shared.balancer.reportSuccess(target.url);
  if (ex.plan.sticky.kind !== 'none') recordSticky(ex, target);
  return true;
}

/** The response ended normally. */
export function completeResponse(ex: Exchange, target: Target): void {
  ex.res.end();
  ex.shared.balancer.end(target.url);
  ex.shared.metrics.requests(target, ex.status).inc();
  finishExchange(ex);
}

/** The backend failed after headers were sent: the client connection is destroyed, never ended. */
export function breakResponse(ex: Exchange, target: Target, err: Error): void {
  ex.res.destroy();
  const shared = ex.shared;
  shared.balancer.end(target.url);
  if (!ex.clientGone) {
    shared.balancer.reportFailure(target.url);
    shared.log.warn('backend failed mid-response', { role: shared.role, backend: target.origin, attempt: ex.attempt + 1, ...errFields(err) });
  }
  shared.metrics.requests(target, ex.status).inc();
  finishExchange(ex);
}

/**
 * Sticky counters. The plan's hints describe the plan-time view (candidates[0] serves); when a
 * failover made another backend serve, the outcome is derived from the cookie state and the
 * plan's `moveCause` (which knows whether the primary was draining) instead.
 */
function recordSticky(ex: Exchange, target: Target): void {
  const plan = ex.plan;
  const m = ex.shared.metrics;
  let outcome = plan.stickyOutcome;
  let cause = plan.reassignCause;
  let backup = plan.backupTakeover === true;
  const planned = outcome !== undefined && plan.candidates[0] === target.url;
  if (!planned) {
    const sticky = plan.sticky;
    if (sticky.kind !== 'valid') {
      outcome = 'miss';
      if (sticky.kind === 'invalid') cause ??= 'cookie_invalid';
    } else {
      // With the cookie's primary gone from the list, its routes here are all backups.
      const primary = plan.primaryLost === true ? undefined : sticky.routes[0];
      outcome = primary === target.url ? 'hit' : 'moved';
      cause = outcome === 'hit' ? undefined
        : plan.moveCause ?? (primary !== undefined && ex.table.byUrl.has(primary) ? 'primary_down' : 'backend_gone');
      backup = sticky.routes.indexOf(target.url) > (primary === undefined ? -1 : 0);
    }
  }
  m.sticky(outcome ?? 'miss').inc();
  if (cause !== undefined) m.reassigned(cause).inc();
  if (backup) m.backupTakeovers.inc();
  // Same request as /backends' drainingSessions, counted once the draining backend has answered.
  if (planned && plan.drainingSession === true) m.drainingSessions(target).inc();
}
