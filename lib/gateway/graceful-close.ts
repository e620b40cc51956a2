/** Graceful shutdown of the listener: stop accepting, let in-flight requests finish, then cut. */
import type { Server } from 'node:http';
import { childLogger } from '../core/index.js';
import type { RequestTracker } from './request-handler.js';

const log = childLogger('gateway');

/** Default deadline for in-flight requests. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30000;

/**
 * Stops accepting connections, closes idle keep-alive connections (and each one that becomes idle),
 * asks in-flight responses to close their connection, and after `timeoutMs` destroys whatever is
 * left. Resolves when the server has closed.
 */
export async function closeGracefully(server: Server, tracker: RequestTracker, timeoutMs: number): Promise<void> {
  tracker.closing = true;
  const closed = new Promise<void>((resolve) => { server.close(() => resolve()); });
  for (const res of tracker.active) if (!res.headersSent) res.setHeader('connection', 'close');
  server.closeIdleConnections();
  const pending = tracker.active.size;
  if (pending > 0) log.info('draining in-flight requests', { inFlight: pending, timeoutMs });
  // Connections that finish their last response become idle; close them promptly.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    if (tracker.active.size > 0) log.warn('shutdown deadline reached, closing connections', { inFlight: tracker.active.size });
    server.closeAllConnections();
  }, timeoutMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
