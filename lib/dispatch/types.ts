/**
 * The contract between the gateway (routing, composition root) and dispatch (forwarding one
 * request of one service with failover). Dispatch never imports discovery: the gateway hands it a
 * `snapshot()` function.
 */
import type { Http1Request, Http1Response } from '../http1/index.js';
import type { ServiceConfig, Snapshot, Sleep, Clock } from '../core/index.js';
import type { ServiceBalancer } from '../balancing/index.js';

/** The already-routed parts of a request URL. */
export interface RequestRoute {
  /** Path after `/{gatewayPath}/{topology}/{service.path}`: '' or starting with '/', still percent-encoded as received. */
  readonly rest: string;
  /** Raw query string including the leading '?', or ''. Never logged. */
  readonly search: string;
}

/** Upstream connection pools shared by every service: one keep-alive pool per backend origin. */
export interface UpstreamPools {
  close(): Promise<void>;
}

/**
 * Traffic state of one gateway, shared by all its dispatchers (also those a reload retired) and
 * read by graceful shutdown. Plain fields: the hot path only reads `closing` and counts.
 */
export interface TrafficState {
  /** Shutting down: every response committed from now on closes its connection. */
  closing: boolean;
  /** Requests in flight across the gateway's dispatchers. */
  inFlight: number;
}

/** A fresh {@link TrafficState}: not closing, nothing in flight. */
export function createTrafficState(): TrafficState {
  return { closing: false, inFlight: 0 };
}

/** What a service dispatcher needs; created by the gateway per service and replaced on reload. */
export interface ServiceDispatcherOptions {
  readonly topology: string;
  readonly service: ServiceConfig;
  /** The service's current backend list (undefined: none known yet → 503). */
  readonly snapshot: () => Snapshot | undefined;
  readonly balancer: ServiceBalancer;
  readonly pools: UpstreamPools;
  /** e.g. 'gateway' (no slashes). */
  readonly gatewayPath: string;
  /** The gateway listens with TLS (X-Forwarded-Proto, Location rewrite scheme). */
  readonly tls: boolean;
  /** The gateway's traffic state (default: one of the dispatcher's own). */
  readonly traffic?: TrafficState;
  readonly sleep?: Sleep;
  readonly clock?: Clock;
}

/** Forwards requests of one service. */
export interface ServiceDispatcher {
  /** Handles one request completely (response or error JSON); never throws, never rejects. */
  dispatch(req: Http1Request, res: Http1Response, route: RequestRoute): void;
  /** Requests of this dispatcher still in flight. */
  inFlight(): number;
}
