/** The JSON error body the gateway itself sends (`{"code","message"}`, never a backend URL or stack). */
import type { ServerResponse } from 'node:http';
import { ERROR_CODES, type ErrorCode } from '../core/index.js';

/** Precomputed bodies: error responses cost no JSON.stringify per request. */
const BODIES = new Map<ErrorCode, Buffer>(
  (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => [code, Buffer.from(JSON.stringify({ code, message: ERROR_CODES[code].text }))]),
);

/** The status a code maps to (500 for codes without one). */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status ?? 500;
}

/** The JSON body for `code`. */
export function errorBody(code: ErrorCode): Buffer {
  return BODIES.get(code) ?? Buffer.from(JSON.stringify({ code, message: ERROR_CODES[code].text }));
}

/**
 * Answers with the code's status and `{"code","message"}`. If headers were already sent the
 * connection is destroyed instead (a half-sent response cannot become an error).
 */
export function sendErrorResponse(res: ServerResponse, code: ErrorCode, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(code);
  res.statusCode = statusOf(code);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', body.length);
  res.setHeader('cache-control', 'no-store');
  if (close) res.setHeader('connection', 'close');
  res.end(body);
}

/** The raw HTTP/1.1 bytes of an error response, for `clientError` where no ServerResponse exists. */
export function rawErrorResponse(status: number, reason: string, code: ErrorCode): string {
  const body = errorBody(code).toString();
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
