/** Graceful shutdown of the listener: stop accepting, let in-flight requests finish, then cut. */
import type { Http1Server } from '../http1/index.js';
import { childLogger } from '../core/index.js';
import type { TrafficState } from '../dispatch/index.js';

const log = childLogger('gateway');

/** Default deadline for in-flight requests. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30000;

/**
 * Stops accepting connections, closes idle keep-alive connections (and each one that becomes idle),
 * makes every response not yet committed close its connection (`traffic.closing`, which the
 * dispatchers read when they commit), and after `timeoutMs` destroys whatever is left. Resolves
 * when the server has closed.
 */
export async function closeGracefully(server: Http1Server, traffic: TrafficState, timeoutMs: number): Promise<void> {
  traffic.closing = true;
  const closed = new Promise<void>((resolve) => { server.close(() => resolve()); });
  server.closeIdleConnections();
  const pending = traffic.inFlight;
  if (pending > 0) log.info('draining in-flight requests', { inFlight: pending, timeoutMs });
  // Connections that finish their last response become idle; close them promptly.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    if (traffic.inFlight > 0) log.warn('shutdown deadline reached, closing connections', { inFlight: traffic.inFlight });
    server.closeAllConnections();
  }, timeoutMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
