/**
 * The one module that turns our errors into what a client receives: a JSON `{"code","message"}`
 * body with the code's HTTP status. The message is the code's fixed public text (Knox's texts where
 * Knox fixes them), never a backend URL, a stack trace or a cookie value. The dispatcher, the
 * gateway's request handler and listener, and the admin listener all answer through it.
 */
import { ERROR_CODES, type ErrorCode, type HaError } from '../core/index.js';

/** Precomputed bodies, one per code: an error response costs no JSON.stringify per request. */
const BODIES: Readonly<Record<ErrorCode, Buffer>> = Object.freeze(Object.fromEntries(
  (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => [code, Buffer.from(JSON.stringify({ code, message: ERROR_CODES[code].text }))]),
) as Record<ErrorCode, Buffer>);

/**
 * What an error is sent on: the gateway's own HTTP/1.1 response, or node:http's ServerResponse
 * (admin listener); both take a flat `[name, value, …]` header list.
 */
export interface ErrorSink {
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  writeHead(status: number, headers: string[]): unknown;
  end(body: Buffer): unknown;
  destroy(): unknown;
}

/**
 * Sends `err` (an error or just its code) as a JSON error response with the code's status (500 for
 * a code without one; `status` overrides it, e.g. 431 for HAD_ERR_REQUEST_INVALID). With `close`, the connection is closed afterwards. When response headers
 * were already sent the connection is destroyed instead (a truncated response must never look
 * complete). Never throws.
 */
export function sendError(res: ErrorSink, err: HaError | ErrorCode, close = false, status?: number): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const code = typeof err === 'string' ? err : err.code;
  const body = BODIES[code];
  try {
    const headers = ['content-type', 'application/json', 'content-length', String(body.length), 'cache-control', 'no-store'];
    if (close) headers.push('connection', 'close');
    res.writeHead(status ?? ERROR_CODES[code].status ?? 500, headers);
    res.end(body);
  } catch {
    res.destroy();
  }
}

/**
 * The raw HTTP/1.1 bytes of an error response with `status` and `reason` (which may differ from the
 * code's status, e.g. 431 or 408 for HAD_ERR_REQUEST_INVALID), for a socket that has no
 * ServerResponse (the listener's `clientError`). Always closes the connection.
 */
export function rawErrorResponse(status: number, reason: string, code: ErrorCode): string {
  const body = BODIES[code];
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.toString()}`;
}
