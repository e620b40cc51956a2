/**
 * Ranked routes (WildFly RANKED routing): the sticky cookie carries the primary and up to N-1
 * backups. Backups are drawn at random per session, so the sessions of one failed primary spread
 * evenly over the other backends; the ranking travels in the cookie, so every gateway instance
 * honours it without shared state.
 */
import type { Random } from '../core/index.js';
import type { HealthView } from './health-view.js';

/**
 * The route list of a (re-)issued cookie: `served` first, then the previous routes in their order
 * (without `served`), then fresh backups up to `target` entries. Never longer than `target` (≥ 1).
 * A URL listed twice is one route: only its first position is used (both have the same token);
 * `served` and `previous` are first positions already (they come from the index's URL and token maps).
 */
export function rankRoutes(
  view: HealthView, previous: readonly number[] | undefined, served: number, target: number, random: Random,
): number[] {
  const routes = [served];
  if (previous !== undefined) {
    for (const pos of previous) {
      if (routes.length >= target) break;
      if (pos !== served) routes.push(pos);
    }
  }
  if (routes.length < target) appendBackups(view, routes, target, random);
  return routes;
}

/**
 * Appends distinct positions not yet in `routes` until it has `target` entries: uniformly random
 * among eligible backends, then among draining ones, then among cooling ones. Expected cost
 * O(target) draws; falls back to a scan from a random offset when draws keep colliding.
 */
export function appendBackups(view: HealthView, routes: number[], target: number, random: Random): void {
  for (const pool of [view.eligible, view.draining, view.cooling]) {
    if (routes.length >= target) return;
    appendRandomFrom(view, pool, routes, target, random);
  }
}

function appendRandomFrom(view: HealthView, pool: readonly number[], routes: number[], target: number, random: Random): void {
  const len = pool.length;
  if (len === 0) return;
  for (let tries = 4 * target + 4; tries > 0 && routes.length < target; tries--) {
    const pos = pool[Math.min(len - 1, Math.floor(random() * len))];
    if (pos !== undefined && isNewRoute(view, routes, pos)) routes.push(pos);
  }
  const offset = Math.min(len - 1, Math.floor(random() * len));
  for (let k = 0; k < len && routes.length < target; k++) {
    const pos = pool[(offset + k) % len];
    if (pos !== undefined && isNewRoute(view, routes, pos)) routes.push(pos);
  }
}

/** `pos` is the first position of its URL and not yet a route. */
function isNewRoute(view: HealthView, routes: readonly number[], pos: number): boolean {
  return firstPositionOf(view, pos) === pos && !routes.includes(pos);
}

/** The first position of the URL at `pos` (a URL listed twice has one token, read as its first position). */
function firstPositionOf(view: HealthView, pos: number): number {
  const index = view.index;
  return index.byUrl.get(index.urls[pos] ?? '') ?? pos;
}
