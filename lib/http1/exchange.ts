/**
 * One request on a connection, from its head to the end of its response. The record is the
 * handler's request object as well (the handler sees only {@link Http1Request}).
 */
import { Readable } from 'node:stream';
import type { Http1Request } from './types.js';
import type { ServerResponse } from './response.js';

/** A request waiting for, or being given, its answer. */
export interface Exchange extends Http1Request {
  body: Readable | undefined;
  readonly res: ServerResponse;
  /** The request's body has been received to its end. */
  complete: boolean;
  /** Handed to the handler (or answered with the refusal). */
  dispatched: boolean;
  /** `Expect: 100-continue` on an HTTP/1.1 request. */
  expectContinue: boolean;
  /** The bytes to answer instead of calling the handler (then close), e.g. a 400. */
  refusal: string | undefined;
  /** The response ended before the body did: the rest of the body is read and dropped. */
  discard: boolean;
}

/** Where a request came from (its connection). */
export interface Peer {
  readonly remoteAddress: string;
  readonly localPort: number;
}

/** A new exchange; every exchange is made here, so all have one shape (one hidden class for V8). */
export function createExchange(peer: Peer, method: string, url: string, rawHeaders: string[], httpMinor: number, res: ServerResponse): Exchange {
  return {
    method, url, rawHeaders, httpMinor, remoteAddress: peer.remoteAddress, localPort: peer.localPort,
    body: undefined, res, complete: false, dispatched: false, expectContinue: false, refusal: undefined, discard: false,
  };
}

/** Reading side of a body's connection (connection.ts). */
export interface BodyReader {
  pauseReading(): void;
  resumeReading(): void;
}

/** Creates the body stream of `ex`; reading it resumes the connection when it was paused for it. */
export function openBody(ex: Exchange, reader: BodyReader): Readable {
  const body = new Readable({ read: () => { reader.resumeReading(); } });
  // A body nobody reads (answered early, refused, queued) may still fail when the client leaves:
  // that must not be an unhandled 'error'. Readers attach their own listener and still see it.
  body.on('error', ignoreError);
  ex.body = body;
  return body;
}

function ignoreError(): void {}

/** The answer ended before the body did: nobody will read the rest (it is dropped as it arrives). */
export function dropBody(ex: Exchange): void {
  ex.discard = true;
  const body = ex.body;
  if (body !== undefined && !body.destroyed) body.destroy();
}

/** A body chunk arrived from the parser. */
export function pushBody(ex: Exchange, chunk: Buffer, reader: BodyReader): void {
  if (ex.discard) return;
  const body = ex.body ?? openBody(ex, reader);
  if (!body.push(chunk)) reader.pauseReading();
}

/** The client went away: a body still arriving fails with ECONNRESET. */
export function abortBody(ex: Exchange): void {
  const body = ex.body;
  if (body === undefined || ex.complete || body.destroyed) return;
  body.destroy(Object.assign(new Error('client disconnected before the request body ended'), { code: 'ECONNRESET' }));
}
