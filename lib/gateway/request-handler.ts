/** The per-request entry point: route, look up the service, hand over to its dispatcher. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { childLogger } from '../core/index.js';
import { sendError } from '../dispatch/index.js';
import { parseRoute } from './route.js';
import { lookupService, type Registry } from './registry.js';

const log = childLogger('gateway');

/** In-flight bookkeeping shared with graceful shutdown. */
export interface RequestTracker {
  /** Responses not yet closed: shutdown asks those whose headers are unsent to close their connection. */
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
  const { active } = tracker;
  // One listener for every response of this handler (`close` fires once per response, so `on` is
  // enough; `once` would wrap it in a new closure per request).
  const untrack = function (this: ServerResponse): void { active.delete(this); };
  return (req, res) => {
    active.add(res);
    res.on('close', untrack);
    // Draining for shutdown: still serve a request that arrived on an open connection (refusing it
    // would fail a client that did nothing wrong), but close the connection afterwards.
    if (tracker.closing) res.setHeader('connection', 'close');
    const route = parseRoute(req.url ?? '', prefix);
    switch (route.kind) {
      case 'invalid':
        log.debug('request refused', { reason: route.reason });
        sendError(res, 'HAD_ERR_REQUEST_INVALID', true);
        return;
      case 'not-found':
        sendError(res, 'HAD_ERR_NOT_FOUND');
        return;
      case 'ok': {
        const entry = lookupService(current(), route.topology, route.service);
        if (entry === undefined || entry.kind === 'disabled') {
          sendError(res, 'HAD_ERR_NOT_FOUND');
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
