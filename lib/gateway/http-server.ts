/** The node:http / node:https listener with limits against slowloris and oversized heads. */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { ConfigError } from '../core/index.js';
import { rawErrorResponse, sendError } from '../dispatch/index.js';
import type { GatewayOptions, TlsOptions } from './types.js';

/** Defaults of the listener limits. */
export const DEFAULT_MAX_HEADER_SIZE = 32768;
export const DEFAULT_HEADERS_TIMEOUT_MS = 20000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 300000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5000;
/** Most header fields in one request; Node silently drops fields past its own limit, we answer 431. */
export const DEFAULT_MAX_HEADERS_COUNT = 500;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Creates (does not start) the listener. Node's strict parser stays on (no `insecureHTTPParser`),
 * so CL+TE and duplicate Content-Length requests are refused before they reach us (smuggling).
 * Throws ConfigError naming the file when TLS material cannot be read.
 */
export function createListener(options: GatewayOptions, handler: Handler): Server {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const common = {
    maxHeaderSize: options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE,
    headersTimeout: requestTimeout > 0 ? Math.min(headersTimeout, requestTimeout) : headersTimeout,
    requestTimeout,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    // Node checks these timeouts only every connectionsCheckingInterval (default 30 s).
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))),
    insecureHTTPParser: false,
    joinDuplicateHeaders: false,
  };
  const maxHeadersCount = options.maxHeadersCount ?? DEFAULT_MAX_HEADERS_COUNT;
  // Node keeps only the first maxHeadersCount fields and drops the rest without an error; a request
  // that reached the limit is a header flood (chaos scenario hostile-http): 431, never forwarded.
  const guarded: Handler = (req, res) => {
    if (req.rawHeaders.length >= 2 * maxHeadersCount) sendError(res, 'HAD_ERR_REQUEST_INVALID', true, 431);
    else handler(req, res);
  };
  const server: Server = options.tls
    ? createHttpsServer({ ...common, ...readTls(options.tls) }, guarded)
    : createHttpServer(common, guarded);
  server.maxHeadersCount = maxHeadersCount;
  server.on('clientError', onClientError);
  return server;
}

/** Answers parser errors with a JSON error (431 for an oversized head, 408 for a timeout, else 400). */
function onClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  let raw: string;
  if (err.code === 'HPE_HEADER_OVERFLOW') raw = rawErrorResponse(431, 'Request Header Fields Too Large', 'HAD_ERR_REQUEST_INVALID');
  else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') raw = rawErrorResponse(408, 'Request Timeout', 'HAD_ERR_REQUEST_INVALID');
  else raw = rawErrorResponse(400, 'Bad Request', 'HAD_ERR_REQUEST_INVALID');
  socket.end(raw);
}

function readTls(tls: TlsOptions): { cert: Buffer | string; key: Buffer | string } {
  return { cert: readPem(tls.cert, 'TLS certificate'), key: readPem(tls.key, 'TLS key') };
}

function readPem(value: Buffer | string, what: string): Buffer | string {
  if (typeof value !== 'string' || value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value);
  } catch (err) {
    throw new ConfigError(`${value}: cannot read ${what}: ${(err as Error).message}`, { cause: err });
  }
}
