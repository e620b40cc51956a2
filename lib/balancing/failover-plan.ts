/**
 * Builds the ordered candidate positions of a plan. The balancer picks; dispatch runs the attempts
 * (STYLE §4). Every builder appends distinct positions to `out` and stops at `limit` entries:
 * dispatch never makes more than maxFailoverAttempts + 1 attempts, so longer lists would only cost
 * time on 1,000-backend services. Order: eligible backends, then draining ones, then cooling ones,
 * so a backend that just failed (cooling) is never retried while another is available.
 */
import type { HealthView } from './health-view.js';
import { COOLING, DRAINING } from './health-view.js';

/** Chooses the starting slot within a non-empty pool of positions of `urls` (round robin, least requests, random, 0). */
export type SlotChooser = (pool: readonly number[], urls: readonly string[]) => number;

/** Appends `pool` in rotation order from `start`, skipping positions already in `out`. */
export function appendRotation(pool: readonly number[], start: number, limit: number, out: number[]): void {
  const len = pool.length;
  for (let k = 0; k < len && out.length < limit; k++) {
    const pos = pool[(start + k) % len];
    if (pos !== undefined && !out.includes(pos)) out.push(pos);
  }
}

/** The pool policy order starts from: the first non-empty of eligible, draining, cooling (undefined: none). */
export function policyPool(view: HealthView): readonly number[] | undefined {
  if (view.eligible.length > 0) return view.eligible;
  if (view.draining.length > 0) return view.draining;
  return view.cooling.length > 0 ? view.cooling : undefined;
}

/** Lets `choose` pick the starting slot in {@link policyPool} (0 when every pool is empty). */
export function choosePolicySlot(view: HealthView, choose: SlotChooser): number {
  const pool = policyPool(view);
  return pool === undefined ? 0 : choose(pool, view.index.urls);
}

/**
 * Policy order from a given `slot` of {@link policyPool}: the same `(view, slot)` always gives the
 * same order, so callers may cache the result per view and slot.
 */
export function appendPolicyOrderFrom(view: HealthView, slot: number, limit: number, out: number[]): void {
  const first = policyPool(view);
  if (first === undefined) return;
  appendRotation(first, slot, limit, out);
  if (first === view.eligible) appendRotation(view.draining, 0, limit, out);
  if (first !== view.cooling) appendRotation(view.cooling, 0, limit, out);
}

/**
 * Active/passive (load balancing off, Knox): list order with healthy backends first; the first
 * healthy one is the primary. All cooling → plain list order.
 */
export function appendActivePassive(view: HealthView, limit: number, out: number[]): void {
  appendPolicyOrderFrom(view, 0, limit, out);
}

/**
 * The live routes of a sticky cookie that may keep or take its session, in rank order: the primary
 * when up (even if draining: it keeps its sessions), then the backups that are up and not draining.
 * Draining backups come later ({@link appendDrainingRoutes}): taking a session over is a new
 * session for the backup, which a draining backend does not get (SPEC §4). Cooling routes are left
 * to {@link appendCoolingRoutes}. `primaryListed` is false when the cookie's primary left the list:
 * then every route is a backup (the first current one is not the session's home).
 */
export function appendLiveRoutes(view: HealthView, routes: readonly number[], primaryListed: boolean, limit: number, out: number[]): void {
  for (let i = 0; i < routes.length && out.length < limit; i++) {
    const pos = routes[i] ?? -1;
    const cls = view.classOf[pos];
    if (cls === COOLING || (cls === DRAINING && (i > 0 || !primaryListed))) continue;
    if (!out.includes(pos)) out.push(pos);
  }
}

/** The cookie's draining backups (not its primary), in rank order. */
export function appendDrainingRoutes(view: HealthView, routes: readonly number[], primaryListed: boolean, limit: number, out: number[]): void {
  for (let i = primaryListed ? 1 : 0; i < routes.length && out.length < limit; i++) {
    const pos = routes[i] ?? -1;
    if (view.classOf[pos] === DRAINING && !out.includes(pos)) out.push(pos);
  }
}

/** The cookie's cooling routes, in rank order. */
export function appendCoolingRoutes(view: HealthView, routes: readonly number[], limit: number, out: number[]): void {
  for (let i = 0; i < routes.length && out.length < limit; i++) {
    const pos = routes[i] ?? -1;
    if (view.classOf[pos] === COOLING && !out.includes(pos)) out.push(pos);
  }
}
