/**
 * `createServiceDispatcher`: forwards the requests of one service. Per request: request passes
 * (once), the balancer's plan, the body prefetch (replay buffer), then attempts until one answers
 * or the failover rules give up (failover.ts). Everything per service is resolved here, once.
 */
import type { Http1Request, Http1Response } from '../http1/index.js';
import { performance } from 'node:perf_hooks';
import { DispatchError, childLogger, systemSleep, errFields } from '../core/index.js';
import type { RequestFacts } from '../balancing/index.js';
import { createTrafficState, type RequestRoute, type ServiceDispatcher, type ServiceDispatcherOptions } from './types.js';
import { NO_BODY, prefetchBody } from './body.js';
import { createDispatchMetrics } from './dispatch-metrics.js';
import { finishExchange, type DispatchShared, type Exchange } from './exchange.js';
import { canFailOver, onAttemptFailed, onStandby, respondError } from './failover.js';
import { forwardAttempt } from './attempt.js';
import { clientGoneError, isIdempotentMethod } from './map-error.js';
import { runRequestPasses, type RequestPassContext } from './passes/request.js';
import { poolRegistryOf } from './pools.js';
import { standbyDetectorFor } from './standby.js';
import { createTargetCache } from './targets.js';

const log = childLogger('dispatch');

function createShared(options: ServiceDispatcherOptions): DispatchShared {
  const { service, topology, balancer, gatewayPath, tls } = options;
  const proto = tls ? 'https' : 'http';
  const affinity = service.cookielessAffinity;
  return {
    topology, service, balancer,
    role: service.name,
    pools: poolRegistryOf(options.pools),
    targets: createTargetCache(),
    standby: standbyDetectorFor(service.name),
    metrics: createDispatchMetrics(topology, service.name),
    log: log.child({ topology, role: service.name }),
    sleep: options.sleep ?? systemSleep,
    clock: options.clock ?? (() => performance.now()),
    requestSettings: {
      forwardedContext: `/${gatewayPath}/${topology}`, proto, balancer,
      stripSticky: service.effective.stickySession,
      affinityHeader: affinity.kind === 'header' ? affinity.name.toLowerCase() : undefined,
    },
    responseSettings: {
      proto, balancer,
      servicePrefix: `/${gatewayPath}/${topology}/${service.path}`,
      sticky: service.effective.stickySession,
    },
    onFailure: onAttemptFailed,
    onStandby,
    canFailOver,
    traffic: options.traffic ?? createTrafficState(),
    inFlight: 0,
  };
}

/**
 * Creates the dispatcher of one service. `dispatch` answers every request itself (backend response
 * or JSON error: 503 HAD_ERR_NO_BACKEND, 502 HAD_ERR_UPSTREAM_CONNECT / _ABORTED /
 * _NON_IDEMPOTENT / _FAILOVER_DISABLED, 504 HAD_ERR_UPSTREAM_TIMEOUT, 400, 500) and never throws.
 */
export function createServiceDispatcher(options: ServiceDispatcherOptions): ServiceDispatcher {
  const shared = createShared(options);
  return {
    dispatch(req, res, route) {
      shared.inFlight++;
      shared.traffic.inFlight++;
      try {
        startExchange(shared, options, req, res, route);
      } catch (err) {
        shared.log.error('dispatch failed unexpectedly', errFields(err));
        const ex = { shared, res, done: false, startedAt: shared.clock() } as Exchange;
        respondError(ex, new DispatchError('HAD_ERR_GATEWAY_INTERNAL', 'dispatch failed', { cause: err }));
      }
    },
    inFlight: () => shared.inFlight,
  };
}

function startExchange(shared: DispatchShared, options: ServiceDispatcherOptions, req: Http1Request, res: Http1Response, route: RequestRoute): void {
  const startedAt = shared.clock();
  const passes: RequestPassContext = {
    settings: shared.requestSettings, rawHeaders: req.rawHeaders,
    clientIp: req.remoteAddress, localPort: req.localPort, headers: [],
    cookie: undefined, host: undefined, userAgent: undefined, forwardedFor: undefined,
    affinityKey: undefined, connection: undefined,
  };
  runRequestPasses(passes);
  const snapshot = options.snapshot();
  const table = snapshot === undefined ? undefined : shared.targets(snapshot);
  const facts: RequestFacts = {
    cookieHeader: passes.cookie, userAgent: passes.userAgent, clientIp: passes.clientIp, affinityKey: passes.affinityKey,
  };
  const plan = snapshot === undefined || table === undefined || table.list.length === 0 ? undefined : shared.balancer.plan(snapshot, facts);
  const method = req.method;
  const ex: Exchange = {
    shared, req, res, route, method, startedAt, table: table as Exchange['table'], plan: plan as Exchange['plan'],
    replayable: isIdempotentMethod(method) || shared.service.failoverNonIdempotentRequestEnabled,
    headers: passes.headers, host: passes.host, body: NO_BODY, attempt: 0, nextUrl: undefined,
    requestSent: false, abort: undefined, status: 0, committed: false, done: false, clientGone: false,
  };
  if (plan === undefined || plan.candidates.length === 0) {
    respondError(ex, new DispatchError('HAD_ERR_NO_BACKEND', `${shared.role}: no backend available`));
    return;
  }
  res.abortContext = ex;
  res.onAbort = onClientGone;
  const body = req.body;
  if (body === undefined) { forwardAttempt(ex); return; }
  prefetchBody(body, shared.service.replayBufferSize).then((body) => {
    ex.body = body;
    if (ex.clientGone) finishExchange(ex);
    else forwardAttempt(ex);
  }, () => {
    ex.clientGone = true;
    finishExchange(ex);
  });
}

/** The client connection closed before the response finished: that aborts the upstream attempt. */
function onClientGone(ex: Exchange): void {
  if (ex.done) return;
  ex.clientGone = true;
  if (ex.abort !== undefined) ex.abort(clientGoneError());
}
