/** The per-request entry point: route, look up the service, hand over to its dispatcher. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { childLogger } from '../core/index.js';
import { sendError, type TrafficState } from '../dispatch/index.js';
import { parseRoute } from './route.js';
import { lookupService, type Registry } from './registry.js';

const log = childLogger('gateway');

/**
 * Returns the `request` listener. `current()` gives the registry in force (read once per request,
 * so a reload never shows a request half of each). `traffic` is the gateway's traffic state: its
 * dispatchers count requests in flight there, and while `closing` every answer closes its
 * connection. Never throws.
 */
export function createRequestHandler(
  prefix: string, current: () => Registry, traffic: TrafficState,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Draining for shutdown, a request that arrived on an open connection is still served (refusing
    // it would fail a client that did nothing wrong); its answer closes the connection.
    const route = parseRoute(req.url ?? '', prefix);
    switch (route.kind) {
      case 'invalid':
        log.debug('request refused', { reason: route.reason });
        sendError(res, 'HAD_ERR_REQUEST_INVALID', true);
        return;
      case 'not-found':
        sendError(res, 'HAD_ERR_NOT_FOUND', traffic.closing);
        return;
      case 'ok': {
        const entry = lookupService(current(), route.topology, route.service);
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
