/**
 * The JSON error body clients get for errors the gateway produces: `{"code","message"}` with the
 * code's HTTP status. The message is the code's fixed public text (Knox's texts where Knox fixes
 * them), never a backend URL, a stack trace or a cookie value.
 */
import type { ServerResponse } from 'node:http';
import type { HaError } from '../core/index.js';

/**
 * Sends `err` as a JSON error response. When response headers were already sent the connection is
 * destroyed instead (a truncated response must never look complete). Never throws.
 */
export function sendError(res: ServerResponse, err: HaError): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code: err.code, message: err.publicMessage });
  try {
    res.writeHead(err.status ?? 500, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch {
    res.destroy();
  }
}
