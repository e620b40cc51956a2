/**
 * The only place that turns undici and socket error codes into ours, and that decides which
 * failures count as *connection errors* for failover (SPEC §4, Knox `HttpUtils#isConnectionError`).
 *
 * Failure kinds:
 * - `connect`: nothing of the request reached a backend that could act on it (refused, DNS,
 *   unreachable, connect timeout, TLS handshake, a pool closed by a reload, or a reset before any
 *   request byte was written). Retried for every method.
 * - `timeout`: no response headers within `responseTimeout` (or a body stall). Retried only for
 *   idempotent methods (or with `failoverNonIdempotentRequestEnabled`); 504 when given up.
 * - `aborted`: the backend closed or broke the connection after the request was (partly) written,
 *   or sent an unparsable response. Same retry rule as `timeout`; 502 when given up.
 * - `invalid`: the request could not be sent as given (400); never retried, not a backend fault.
 * - `client`: the client went away or its upload broke; nothing is retried or reported.
 * - `internal`: anything unexpected (500).
 *
 * Resets versus closes: SPEC §4 counts a *reset before any response* (ECONNRESET, EPIPE) as a
 * connection failure, retried for every method, as Knox does (`SocketException`). The kernel resets
 * a connection whose peer died with our request still unread in its socket buffer, or a pooled
 * keep-alive connection the backend had already closed: in both cases no backend acted on the
 * request. A backend that read the request and then went away closes the connection normally
 * (FIN; undici's `UND_ERR_SOCKET` "other side closed" without a socket cause): once the request was
 * written that is `aborted`, so a POST is not replayed (KNOX-2890). Regression: chaos scenario
 * backend-kill saw 502s for POSTs that never reached the killed backend.
 */
import { DispatchError, type ErrorCode } from '../core/index.js';

/** What kind of failure an attempt ended with; decides retries and the final error. */
export type FailureKind = 'connect' | 'timeout' | 'aborted' | 'invalid' | 'client' | 'internal';

/** A classified attempt failure. `error.cause` keeps the original error. */
export interface UpstreamFailure {
  readonly kind: FailureKind;
  readonly error: DispatchError;
}

/** How far the attempt got when it failed. */
export interface FailurePhase {
  /** Some request body bytes, or the complete request, were written to the socket. */
  readonly requestSent: boolean;
}

const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH',
  'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED',
  'ETIMEDOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** The peer reset the connection before any response: it never acted on the request. */
const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

/** The connection closed or broke; after the request was written the backend may have acted on it. */
const CLOSED_CODES: ReadonlySet<string> = new Set(['ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const INVALID_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);

/** Codes of errors raised on purpose when the client went away (see {@link clientGoneError}). */
const CLIENT_CODES: ReadonlySet<string> = new Set(['HAD_CLIENT_GONE']);

const KIND_CODE: Readonly<Record<FailureKind, ErrorCode>> = {
  connect: 'HAD_ERR_UPSTREAM_CONNECT',
  timeout: 'HAD_ERR_UPSTREAM_TIMEOUT',
  aborted: 'HAD_ERR_UPSTREAM_ABORTED',
  invalid: 'HAD_ERR_REQUEST_INVALID',
  client: 'HAD_ERR_UPSTREAM_ABORTED',
  internal: 'HAD_ERR_GATEWAY_INTERNAL',
};

/**
 * The error dispatch raises to abort an upstream request because the client disconnected, or (with
 * `cause`) because the client's request body failed while it streamed upstream.
 */
export function clientGoneError(cause?: unknown): Error {
  if (cause === undefined) return Object.assign(new Error('client disconnected'), { code: 'HAD_CLIENT_GONE' });
  return Object.assign(new Error('client request body broke off', { cause }), { code: 'HAD_CLIENT_GONE' });
}

/** The `code` of an error, looking through one level of `cause` for socket errors undici wraps. */
export function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (code === 'UND_ERR_SOCKET') {
    const inner = (err as { cause?: { code?: unknown } }).cause?.code;
    if (typeof inner === 'string' && (CONNECT_CODES.has(inner) || inner === 'ECONNRESET' || inner === 'EPIPE')) return inner;
  }
  return typeof code === 'string' ? code : undefined;
}

/** Classifies an undici/socket error code (pure; the table test pins it). */
export function classifyCode(code: string | undefined, phase: FailurePhase): FailureKind {
  if (code === undefined) return 'internal';
  if (CLIENT_CODES.has(code)) return 'client';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (INVALID_CODES.has(code)) return 'invalid';
  if (RESET_CODES.has(code)) return 'connect';
  if (CLOSED_CODES.has(code)) return phase.requestSent ? 'aborted' : 'connect';
  if (code === 'UND_ERR_ABORTED' || code.startsWith('HPE_')) return 'aborted';
  return 'internal';
}

/**
 * Maps an attempt's error to a {@link UpstreamFailure} carrying a {@link DispatchError} whose
 * operator message names the role, backend origin and attempt (never a query string).
 */
export function mapUpstreamError(err: unknown, phase: FailurePhase, where: { role: string; backend: string; attempt: number }): UpstreamFailure {
  const code = errorCodeOf(err);
  const kind = classifyCode(code, phase);
  const message = `${where.role}: attempt ${where.attempt} on ${where.backend} failed (${code ?? 'unknown'})`;
  return { kind, error: new DispatchError(KIND_CODE[kind], message, { cause: err }) };
}

/** Methods safe to replay (RFC 9110 §9.2.2); Knox treats PUT and DELETE as idempotent too. */
export function isIdempotentMethod(method: string): boolean {
  switch (method) {
    case 'GET': case 'HEAD': case 'OPTIONS': case 'PUT': case 'DELETE': case 'TRACE': return true;
    default: return false;
  }
}

/** Why a failure may or may not be retried elsewhere. */
export type RetryVerdict = 'retry' | 'non-idempotent' | 'body-consumed' | 'final';

/**
 * Decides whether a failure of `kind` may be retried on another backend: connection failures for
 * every method; timeouts and aborts only when `replayable` (idempotent method or the Knox flag);
 * either only while the request body can still be replayed.
 */
export function retryVerdict(kind: FailureKind, replayable: boolean, bodyReplayable: boolean): RetryVerdict {
  switch (kind) {
    case 'connect': return bodyReplayable ? 'retry' : 'body-consumed';
    case 'timeout':
    case 'aborted':
      if (!replayable) return 'non-idempotent';
      return bodyReplayable ? 'retry' : 'body-consumed';
    case 'invalid':
    case 'client':
    case 'internal':
      return 'final';
    default: {
      const never: never = kind;
      return never;
    }
  }
}
