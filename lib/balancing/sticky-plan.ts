/**
 * Planning for sticky requests (load balancing + enableStickySession, User-Agent not excluded) and
 * the cookie to send back. Choices documented here:
 * - A cookie is valid when at least one of its routes names a current backend (unknown tokens are
 *   dropped from the ranking). Its live routes go first: the primary when up (a draining primary
 *   keeps its sessions), then its backups that are up and not draining; then — without noFallback —
 *   the other eligible backends in policy order; then its draining backups and the other draining
 *   backends (a takeover is a new session, which a draining backend gets only when nothing else is
 *   up); then its cooling routes, then other cooling backends.
 * - Re-assignment cause: `drained` when the primary is (or was, before it left the list) draining,
 *   else `primary_down` (listed but not serving) or `backend_gone` (no longer listed).
 * - noFallback restricts the plan to the cookie's routes only when the cookie is VALID. A carried
 *   cookie that names no current backend (stale, forged or garbage) is ignored and replaced, and
 *   the request fails over normally: a request without a valid session has nothing to protect
 *   (KNOX-2619's spirit; SPEC §4 "a cookie that names no current backend is ignored and replaced").
 */
import type { Plan, StickyReassignCause, StickyState } from './types.js';
import type { BalancerContext } from './balancer-context.js';
import { toUrls } from './backend-index.js';
import type { HealthView } from './health-view.js';
import { DRAINING } from './health-view.js';
import { readStickyCookie, type StickyRead } from './sticky-cookie.js';
import {
  appendCoolingRoutes, appendDrainingRoutes, appendLiveRoutes, appendPolicyOrderFrom, appendRotation, choosePolicySlot,
} from './failover-plan.js';
import { rankRoutes } from './ranked-routes.js';

const ABSENT: StickyState = Object.freeze({ kind: 'absent' });
const INVALID: StickyState = Object.freeze({ kind: 'invalid' });

const STICKY_TOKEN: unique symbol = Symbol('hadispatch.sticky-token');

/** Balancer-internal plan state carried in {@link Plan.token} for {@link stickyCookieFor}. */
export interface StickyToken {
  readonly brand: typeof STICKY_TOKEN;
  readonly view: HealthView;
  /** The valid cookie's routes (positions), or undefined for a new session. */
  readonly routes: readonly number[] | undefined;
  readonly reissue: boolean;
  /** Routes a fresh cookie carries: min(ranked routes, distinct backend URLs). */
  readonly target: number;
}

/** Plans a sticky request. */
export function planSticky(ctx: BalancerContext, view: HealthView, cookieHeader: string | undefined): Plan {
  const index = view.index;
  const target = Math.min(ctx.maxRoutes, index.byUrl.size);
  const read = readStickyCookie(cookieHeader, ctx.cookieName, index, ctx.maxRoutes, target);
  if (read.kind === 'absent') {
    // A new session: the plan depends on the view and the policy's slot only, so it is shared.
    const slot = choosePolicySlot(view, ctx.choose);
    return ctx.newSessionPlans.get(view, slot) ?? ctx.newSessionPlans.set(view, slot, newSessionPlan(view, slot, ctx.limit, target, undefined));
  }
  if (read.kind === 'invalid') {
    const cause = read.gone ? lostPrimaryCause(ctx, cookieHeader) : 'cookie_invalid';
    return newSessionPlan(view, choosePolicySlot(view, ctx.choose), ctx.limit, target, cause);
  }
  const restricted = ctx.service.effective.noFallback;
  const out: number[] = [];
  orderStickyCandidates(ctx, view, read.routes, !read.primaryLost, restricted, out);
  const moveCause = read.primaryLost ? lostPrimaryCause(ctx, cookieHeader)
    : ctx.state.isDraining(index.urls[read.routes[0] ?? -1] ?? '') ? 'drained' : 'primary_down';
  return validPlan(ctx, view, read, out, restricted, target, moveCause);
}

/** Cause for a cookie whose primary is not listed: `drained` when it was draining as it left. */
function lostPrimaryCause(ctx: BalancerContext, cookieHeader: string | undefined): StickyReassignCause {
  return ctx.recentlyDrained.namesPrimaryOf(cookieHeader, ctx.cookieName) ? 'drained' : 'backend_gone';
}

/** The plan of a request without a valid cookie (`cause` set when an invalid one was carried). */
function newSessionPlan(view: HealthView, slot: number, limit: number, target: number, cause: StickyReassignCause | undefined): Plan {
  const out: number[] = [];
  appendPolicyOrderFrom(view, slot, limit, out);
  const token: StickyToken = { brand: STICKY_TOKEN, view, routes: undefined, reissue: true, target };
  return {
    candidates: toUrls(view.index, out), sticky: cause === undefined ? ABSENT : INVALID, cookieCarried: cause !== undefined,
    restricted: false, token, stickyOutcome: 'miss', reassignCause: cause, moveCause: cause, backupTakeover: false,
    drainingSession: false,
  };
}

function orderStickyCandidates(
  ctx: BalancerContext, view: HealthView, routes: readonly number[], primaryListed: boolean, restricted: boolean, out: number[],
): void {
  appendLiveRoutes(view, routes, primaryListed, ctx.limit, out);
  if (!restricted) appendRotation(view.eligible, ctx.rr.peek(view.eligible.length), ctx.limit, out);
  appendDrainingRoutes(view, routes, primaryListed, ctx.limit, out);
  if (!restricted) appendRotation(view.draining, 0, ctx.limit, out);
  appendCoolingRoutes(view, routes, ctx.limit, out);
  if (!restricted) appendRotation(view.cooling, 0, ctx.limit, out);
}

function validPlan(
  ctx: BalancerContext, view: HealthView, read: Extract<StickyRead, { kind: 'valid' }>, out: readonly number[],
  restricted: boolean, target: number, moveCause: StickyReassignCause,
): Plan {
  const index = view.index;
  const first = out[0];
  const hit = !read.primaryLost && first === read.routes[0];
  const onRoute = first !== undefined && read.routes.includes(first);
  const drainingSession = onRoute && view.classOf[first] === DRAINING;
  if (drainingSession) ctx.state.countDrainingSession(index.urls[first] ?? '');
  const token: StickyToken = { brand: STICKY_TOKEN, view, routes: read.routes, reissue: read.reissue, target };
  return {
    candidates: toUrls(index, out),
    sticky: { kind: 'valid', routes: toUrls(index, read.routes) },
    cookieCarried: true,
    restricted,
    token,
    stickyOutcome: hit ? 'hit' : 'moved',
    reassignCause: hit ? undefined : moveCause,
    moveCause,
    backupTakeover: !hit && onRoute,
    primaryLost: read.primaryLost,
    drainingSession,
  };
}

/**
 * The Set-Cookie value after `served` answered a request planned by {@link planSticky}, or
 * undefined when the plan is not sticky, `served` is not a backend of the plan's snapshot, or the
 * client's valid cookie already names `served` first with nothing to re-issue.
 */
export function stickyCookieFor(ctx: BalancerContext, token: unknown, served: string): string | undefined {
  if (!isStickyToken(token)) return undefined;
  const index = token.view.index;
  const pos = index.byUrl.get(served);
  if (pos === undefined) return undefined;
  if (token.routes !== undefined && token.routes[0] === pos && !token.reissue) return undefined;
  if (token.target <= 1) return ctx.singleRouteCookie(index, pos);
  const routes = rankRoutes(token.view, token.routes, pos, Math.max(1, token.target), ctx.random);
  let value = '';
  for (const r of routes) value = value === '' ? (index.issueTokens[r] ?? '') : `${value}.${index.issueTokens[r] ?? ''}`;
  return ctx.buildSetCookie(value);
}

function isStickyToken(token: unknown): token is StickyToken {
  return typeof token === 'object' && token !== null && (token as { brand?: unknown }).brand === STICKY_TOKEN;
}
