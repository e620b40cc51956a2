/**
 * The request and response of hadispatch's own HTTP/1.1 server (server.ts). They carry what a proxy
 * needs and nothing else: no header object, no stream per request unless the request has a body.
 */
import type { Readable } from 'node:stream';

/** One parsed request, handed to the handler in arrival order (pipelined requests wait their turn). */
export interface Http1Request {
  readonly method: string;
  /** The request target exactly as sent (origin-form path and query, or absolute-form). */
  readonly url: string;
  /** `[name, value, …]` as received (names keep their case). */
  readonly rawHeaders: readonly string[];
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly httpMinor: number;
  readonly remoteAddress: string;
  readonly localPort: number;
  /**
   * The request body when the request declares one (Content-Length > 0 or Transfer-Encoding), as a
   * paused-until-read Readable with backpressure to the client socket; undefined otherwise. It
   * errors with code `ECONNRESET` when the client goes away before the body ended.
   */
  readonly body: Readable | undefined;
}

/**
 * The answer to one request. `writeHead` takes a flat `[name, value, …]` list with lower-case
 * names; the server adds the framing (Content-Length as given, else chunked for HTTP/1.1 or
 * close-delimited for HTTP/1.0), `Date` when missing, and the `Connection` header. A `connection:
 * close` entry in the list closes the connection after this response.
 */
export interface Http1Response {
  /** Throws (ERR_INVALID_CHAR / ERR_INVALID_HTTP_TOKEN, nothing written) on a header that cannot be sent. */
  writeHead(status: number, headers: readonly string[]): void;
  /** False when the socket's buffer is full: wait for {@link Http1Response.onDrain}. */
  write(chunk: Buffer): boolean;
  /** Ends the response (optionally with a last chunk). */
  end(chunk?: Buffer): void;
  /** Tears the connection down (a response that cannot be completed must never look complete). */
  destroy(): void;
  readonly headersSent: boolean;
  /** end() was called. */
  readonly finished: boolean;
  /** The connection is gone. */
  readonly destroyed: boolean;
  /**
   * Called once, with {@link Http1Response.abortContext}, when the connection closes before this
   * response finished. A shared function and a context instead of a closure per request: a closure
   * made per request and kept here had V8 pretenure the whole request graph (allocation-site
   * feedback), which tripled the young-generation GC cost under load.
   */
  onAbort: ((context: never) => void) | undefined;
  abortContext: unknown;
  /** Called once, the next time the socket drains after write() returned false. */
  onDrain: (() => void) | undefined;
}

/** The request listener. Must answer every request (end or destroy its response). */
export type Http1Handler = (req: Http1Request, res: Http1Response) => void;

/** Limits and timeouts of the server (all required: the gateway resolves defaults). */
export interface Http1ServerOptions {
  readonly maxHeaderSize: number;
  readonly maxHeadersCount: number;
  /** From the first byte of a request to the end of its head. */
  readonly headersTimeoutMs: number;
  /** From the first byte of a request to the end of its body (0: none). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long (0: never, as node:http). */
  readonly keepAliveTimeoutMs: number;
  /**
   * A connection whose client has not taken any of the answer for this long, while the answer
   * waits for the socket to drain, is closed (0: never). Like nginx's `send_timeout`: it measures
   * the time without progress, not the length of a download.
   */
  readonly sendTimeoutMs: number;
  /** TLS material (PEM); plain TCP when absent. */
  readonly tls: { readonly cert: Buffer | string; readonly key: Buffer | string } | undefined;
  /**
   * The raw bytes to send when a request is refused before it reaches the handler (parse error,
   * limits, timeout); the connection is closed after them.
   */
  readonly refusal: (status: 400 | 408 | 413 | 417 | 431 | 505, reason: string) => string;
}
