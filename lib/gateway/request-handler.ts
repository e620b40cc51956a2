/** The per-request entry point: route, look up the service, hand over to its dispatcher. */
import type { Http1Handler } from '../http1/index.js';
import { childLogger } from '../core/index.js';
import { sendError, type TrafficState } from '../dispatch/index.js';
import { parseRoute, parseRouteUnder, type RouteResult } from './route.js';
import { lookupService, type Registry, type ServiceEntry } from './registry.js';

const log = childLogger('gateway');

/** The service the previous request went to, for {@link parseRouteUnder}. */
interface LastRoute {
  readonly registry: Registry;
  /** `/{gatewayPath}/{topology}/{service path}`. */
  readonly servicePrefix: string;
  readonly topology: string;
  readonly service: string;
  readonly entry: ServiceEntry;
}

/**
 * Returns the `request` listener. `current()` gives the registry in force (read once per request,
 * so a reload never shows a request half of each). `traffic` is the gateway's traffic state: its
 * dispatchers count requests in flight there, and while `closing` every answer closes its
 * connection. Never throws.
 */
export function createRequestHandler(
  prefix: string, current: () => Registry, traffic: TrafficState,
): Http1Handler {
  let last: LastRoute | undefined;
  // Requests mostly repeat a few services: try the previous one first (same registry only, so a
  // reload is seen at once), and fall back to the full parse and lookup.
  const routeOf = (url: string, registry: Registry): { route: RouteResult; entry: ServiceEntry | undefined } => {
    if (last !== undefined && last.registry === registry) {
      const route = parseRouteUnder(url, last.servicePrefix, last.topology, last.service);
      if (route !== undefined) return { route, entry: last.entry };
    }
    const route = parseRoute(url, prefix);
    if (route.kind !== 'ok') return { route, entry: undefined };
    const entry = lookupService(registry, route.topology, route.service);
    if (entry !== undefined) {
      // A fresh flat string: a concatenation (or slice) would make every startsWith walk it piecewise.
      const servicePrefix = Buffer.from(`${prefix}${route.topology}/${route.service}`, 'utf8').toString('utf8');
      last = { registry, servicePrefix, topology: route.topology, service: route.service, entry };
    }
    return { route, entry };
  };
  return (req, res) => {
    // Draining for shutdown, a request that arrived on an open connection is still served (refusing
    // it would fail a client that did nothing wrong); its answer closes the connection.
    const { route, entry } = routeOf(req.url, current());
    switch (route.kind) {
      case 'invalid':
        log.debug('request refused', { reason: route.reason });
        sendError(res, 'HAD_ERR_REQUEST_INVALID', true);
        return;
      case 'not-found':
        sendError(res, 'HAD_ERR_NOT_FOUND', traffic.closing);
        return;
      case 'ok': {
        if (entry === undefined || entry.kind === 'disabled') {
          sendError(res, 'HAD_ERR_NOT_FOUND', traffic.closing);
          return;
        }
        entry.dispatcher.dispatch(req, res, route);
        return;
      }
      default: {
        const never: never = route;
        throw new Error(`unexpected route ${String(never)}`);
      }
    }
  };
}
