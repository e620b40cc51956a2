/**
 * The state of one proxied request (an *exchange*) and of its dispatcher, shared by the attempt
 * handler and the failover loop. Plain objects, created once per request; no closures per attempt
 * beyond the undici handler itself.
 */
import type { Http1Request, Http1Response } from '../http1/index.js';
import type { ServiceConfig, Snapshot, Sleep, Clock, Logger } from '../core/index.js';
import type { Plan, ServiceBalancer } from '../balancing/index.js';
import type { RequestRoute, TrafficState } from './types.js';
import type { BodySource } from './body.js';
import type { Target, TargetTable } from './targets.js';
import type { AttemptFailureKind } from './failover-policy.js';
import type { DispatchError } from '../core/index.js';
import type { PoolRegistry } from './pools.js';
import type { StandbyDetector } from './standby.js';
import type { DispatchMetrics } from './dispatch-metrics.js';
import type { RequestPassSettings } from './passes/request.js';
import type { ResponsePassSettings } from './passes/response.js';

/** Per-dispatcher constants and collaborators. */
export interface DispatchShared {
  readonly topology: string;
  readonly service: ServiceConfig;
  readonly role: string;
  readonly balancer: ServiceBalancer;
  readonly pools: PoolRegistry;
  readonly targets: (snapshot: Snapshot) => TargetTable;
  readonly standby: StandbyDetector | undefined;
  readonly metrics: DispatchMetrics;
  readonly log: Logger;
  readonly sleep: Sleep;
  readonly clock: Clock;
  readonly requestSettings: RequestPassSettings;
  readonly responseSettings: ResponsePassSettings;
  /** The failover loop's entry points (failover.ts), injected so attempt.ts need not import it. */
  readonly onFailure: (ex: Exchange, target: Target | undefined, failure: AttemptFailure) => void;
  readonly onStandby: (ex: Exchange, target: Target, status: number, location: string | undefined) => void;
  /** True when a failure of the current attempt could still be retried elsewhere (standby holding). */
  readonly canFailOver: (ex: Exchange) => boolean;
  /** The gateway's traffic state: `closing` makes committed responses close their connection. */
  readonly traffic: TrafficState;
  /** Requests in flight on this dispatcher. */
  inFlight: number;
}

/** A failed attempt, classified. */
export interface AttemptFailure {
  readonly kind: AttemptFailureKind;
  readonly error: DispatchError;
}

/** One request on its way through the attempts. */
export interface Exchange {
  readonly shared: DispatchShared;
  readonly req: Http1Request;
  readonly res: Http1Response;
  readonly route: RequestRoute;
  readonly method: string;
  /** Idempotent method, or `failoverNonIdempotentRequestEnabled`. */
  readonly replayable: boolean;
  /** Upstream headers, built once by the request passes. */
  readonly headers: string[];
  /** The client's Host header. */
  readonly host: string | undefined;
  readonly plan: Plan;
  readonly table: TargetTable;
  readonly startedAt: number;
  body: BodySource;
  /** 0-based index of the current attempt. */
  attempt: number;
  /** The next attempt's backend when a standby answer redirected to a known backend. */
  nextUrl: string | undefined;
  /** The current attempt wrote (part of) its request to the socket. */
  requestSent: boolean;
  /** Aborts the current upstream attempt (set by undici's onConnect). */
  abort: ((err: Error) => void) | undefined;
  /** Status sent to the client (once committed). */
  status: number;
  /** Response headers went to the client: nothing can be retried any more. */
  committed: boolean;
  /** The exchange has finished (response ended, error sent, or connection dropped). */
  done: boolean;
  clientGone: boolean;
}

/** Ends an exchange once: in-flight accounting. */
export function finishExchange(ex: Exchange): void {
  if (ex.done) return;
  ex.done = true;
  ex.shared.inFlight--;
  ex.shared.traffic.inFlight--;
}
