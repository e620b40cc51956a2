/** The gateway's client-facing listener (hadispatch's HTTP/1.1 server) with limits against slowloris and oversized heads. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/index.js';
import { rawErrorResponse } from '../dispatch/index.js';
import { createHttp1Server, type Http1Handler, type Http1Server } from '../http1/index.js';
import type { GatewayOptions, TlsOptions } from './types.js';

/** Defaults of the listener limits. */
export const DEFAULT_MAX_HEADER_SIZE = 32768;
export const DEFAULT_HEADERS_TIMEOUT_MS = 20000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 300000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5000;
/** A client that takes none of its answer for this long is disconnected (nginx's send_timeout). */
export const DEFAULT_SEND_TIMEOUT_MS = 60000;
/** Most header fields in one request; more is a header flood (chaos scenario hostile-http): 431. */
export const DEFAULT_MAX_HEADERS_COUNT = 500;

/**
 * Creates (does not start) the listener. The parser is strict (Node's llhttp, as node:http), so
 * CL+TE and duplicate Content-Length requests are refused before they reach us (smuggling); every
 * refusal is a JSON HAD_ERR_REQUEST_INVALID error (431 oversized head or too many fields, 408
 * timeout, 417 unknown expectation, else 400) and closes the connection. Throws ConfigError naming
 * the file when TLS material cannot be read.
 */
export function createListener(options: GatewayOptions, handler: Http1Handler): Http1Server {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return createHttp1Server({
    maxHeaderSize: options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE,
    maxHeadersCount: options.maxHeadersCount ?? DEFAULT_MAX_HEADERS_COUNT,
    headersTimeoutMs: requestTimeout > 0 ? Math.min(headersTimeout, requestTimeout) : headersTimeout,
    requestTimeoutMs: requestTimeout,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    sendTimeoutMs: options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    tls: options.tls === undefined ? undefined : readTls(options.tls),
    refusal: (status, reason) => rawErrorResponse(status, reason, 'HAD_ERR_REQUEST_INVALID'),
  }, handler);
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
