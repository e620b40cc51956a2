/** The per-request entry point: route, look up the service, hand over to its dispatcher. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { childLogger } from '../core/index.js';
import { parseRoute } from './route.js';
import { lookupService, type Registry } from './registry.js';
import { sendErrorResponse } from './error-response.js';

const log = childLogger('gateway');

/** In-flight bookkeeping shared with graceful shutdown. */
export interface RequestTracker {
  readonly active: Set<ServerResponse>;
  closing: boolean;
}

/** Creates an empty tracker. */
export function createTracker(): RequestTracker {
  return { active: new Set(), closing: false };
}

/**
 * Returns the `request` listener. `current()` gives the registry in force (read once per request,
 * so a reload never shows a request half of each). Never throws.
 */
export function createRequestHandler(
  prefix: string, current: () => Registry, tracker: RequestTracker,
): (req: IncomingMessage, res: ServerResponse) => void {
  const untrack = function (this: ServerResponse): void { tracker.active.delete(this); };
  return (req, res) => {
    tracker.active.add(res);
    res.once('close', untrack);
    // Draining for shutdown: still serve a request that arrived on an open connection (refusing it
    // would fail a client that did nothing wrong), but close the connection afterwards.
    if (tracker.closing) res.setHeader('connection', 'close');
    const route = parseRoute(req.url ?? '', prefix);
    switch (route.kind) {
      case 'invalid':
        log.debug('request refused', { reason: route.reason });
        sendErrorResponse(res, 'HAD_ERR_REQUEST_INVALID', true);
        return;
      case 'not-found':
        sendErrorResponse(res, 'HAD_ERR_NOT_FOUND');
        return;
      case 'ok': {
        const entry = lookupService(current(), route.topology, route.service);
        if (entry === undefined || entry.kind === 'disabled') {
          sendErrorResponse(res, 'HAD_ERR_NOT_FOUND');
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
