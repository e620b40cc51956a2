/**
 * The contract between balancing (pure: picks backends, reads and writes sticky cookies) and
 * dispatch (runs the attempts). Balancing never does I/O; time and randomness are injected.
 */
import type { ServiceConfig, Snapshot, Clock, Random } from '../core/index.js';

/** What balancing needs to know about one request. All strings raw from the request. */
export interface RequestFacts {
  /** The raw `Cookie` header (all Cookie headers joined with `; `), or undefined. */
  readonly cookieHeader: string | undefined;
  readonly userAgent: string | undefined;
  /** The client's address (socket remote address). */
  readonly clientIp: string;
  /** Value of the header named by `cookielessAffinity=header:NAME`, when that mode is configured. */
  readonly affinityKey: string | undefined;
}

/** Secrets for signed sticky cookies (`serve --sticky-key-file`): the first signs, all verify. */
export interface StickyKeys {
  readonly keys: readonly Buffer[];
  /** Accept plain Knox SHA-256 cookies too (`--accept-knox-cookies`). */
  readonly acceptKnoxCookies: boolean;
}

/** Why a request did not stay on its cookie's primary. */
export type StickyReassignCause = 'primary_down' | 'cookie_invalid' | 'drained' | 'backend_gone';

/** What the sticky cookie of a request said, after checking it against the snapshot. */
export type StickyState =
  | { readonly kind: 'none' }                     // sticky not effective, or UA excluded
  | { readonly kind: 'absent' }                   // no cookie of our name
  | { readonly kind: 'invalid' }                  // cookie present but names no current backend / bad signature
  | { readonly kind: 'valid'; readonly routes: readonly string[] }; // backend URLs in ranked order (primary first)

/**
 * The ordered attempts for one request. `candidates[0]` is tried first; on a failure that may be
 * retried, dispatch moves to the next candidate (wrapping around only when every candidate has
 * failed). `restricted` means noFallback applies: failing over outside `candidates` is not allowed
 * and an exhausted list ends in HAD_ERR_FAILOVER_DISABLED.
 */
export interface Plan {
  readonly candidates: readonly string[];
  readonly sticky: StickyState;
  /** The request carried a cookie with our sticky cookie name (any value). */
  readonly cookieCarried: boolean;
  readonly restricted: boolean;
  /** Internal to the balancer (e.g. ranking for the cookie); dispatch passes the plan back unchanged. */
  readonly token: unknown;
  /**
   * Metrics hint (plan-time view, assuming `candidates[0]` serves): `hit` = the cookie's primary
   * serves; `moved` = a valid cookie was carried but another backend serves; `miss` = sticky is
   * effective but no valid cookie was carried (a new session). Undefined when sticky does not apply.
   */
  readonly stickyOutcome?: StickyOutcome | undefined;
  /** Metrics hint: why the request did not stay on (or lost) its cookie's primary. */
  readonly reassignCause?: StickyReassignCause | undefined;
  /**
   * Metrics hint: the cause to count when a backend other than the cookie's primary ends up serving
   * (e.g. after a failover): `drained`, `primary_down` or `backend_gone` for a valid cookie, the
   * invalid cookie's cause otherwise. Undefined when sticky does not apply or no cookie was carried.
   */
  readonly moveCause?: StickyReassignCause | undefined;
  /** Metrics hint: `candidates[0]` is one of the cookie's backup routes (ranked routes). */
  readonly backupTakeover?: boolean | undefined;
  /**
   * Metrics hint: the valid cookie's primary is no longer listed, so every route in
   * `sticky.routes` is a backup (none of them serving is a `hit`).
   */
  readonly primaryLost?: boolean | undefined;
  /**
   * Metrics hint: `candidates[0]` is one of the cookie's routes and is draining (the request was
   * counted in {@link BackendStatus.drainingSessions}); dispatch counts it in
   * `hadispatch_draining_sessions_total` when that backend serves.
   */
  readonly drainingSession?: boolean | undefined;
}

/** Plan-time sticky outcome, for the sticky hits/misses/moves counters. */
export type StickyOutcome = 'hit' | 'miss' | 'moved';

/** Per-backend state for `/backends` and metrics. */
export interface BackendStatus {
  readonly url: string;
  readonly state: 'up' | 'cooling_down' | 'draining';
  readonly inFlight: number;
  /** Sticky requests that reached this backend while it was draining. */
  readonly drainingSessions: number;
  readonly coolingUntil: number | undefined;
}

/** One service's balancer: selection, sticky cookies, passive health, draining, in-flight counts. */
export interface ServiceBalancer {
  /** Picks the ordered attempt list. An empty snapshot gives an empty `candidates`. */
  plan(snapshot: Snapshot, facts: RequestFacts): Plan;
  /**
   * The `Set-Cookie` header value to send after `served` answered, or undefined when the client's
   * cookie already names `served` first (set on the first response and when the backend changes).
   */
  setCookieFor(plan: Plan, served: string): string | undefined;
  /** Strips our sticky cookie from a Cookie header before forwarding (undefined if nothing is left). */
  stripStickyCookie(cookieHeader: string): string | undefined;
  /** Passive health: a failed attempt starts a cool-down; a success ends it. */
  reportFailure(url: string): void;
  reportSuccess(url: string): void;
  /** In-flight accounting (for leastRequests). */
  begin(url: string): void;
  end(url: string): void;
  /** Draining: keep sticky sessions, no new ones. Returns false if `url` is not in the snapshot. */
  setDraining(snapshot: Snapshot, url: string, draining: boolean): boolean;
  status(snapshot: Snapshot): readonly BackendStatus[];
}

/** Options of {@link ServiceBalancer}; everything but `service` has a default. */
export interface BalancerOptions {
  readonly service: ServiceConfig;
  /** Cookie Path: `/{gateway-path}/{topology}`. */
  readonly cookiePath: string;
  /** The gateway serves TLS: cookies get `Secure`. */
  readonly secure: boolean;
  readonly keys?: StickyKeys;
  /** Passive-health cool-down after a failure, ms (default 30000). */
  readonly coolDownMs?: number;
  readonly clock?: Clock;
  readonly random?: Random;
}
