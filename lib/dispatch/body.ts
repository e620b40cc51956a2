/**
 * Request bodies and the replay buffer. Before the first attempt the body is read up to
 * `replayBufferSize` bytes: a body that fits is kept whole (a Buffer: every attempt can resend it);
 * a larger one keeps its first bytes and streams the rest from the client only when an attempt's
 * connection actually pulls it (undici iterates the body after connecting), so a connection refused
 * before that leaves the body untouched and the request can still go elsewhere. Once the remainder
 * has started flowing (`tailTaken`), the request can no longer be replayed. Memory stays flat: the
 * remainder is pulled chunk by chunk with backpressure from the upstream socket.
 */
import type { Readable } from 'node:stream';
import { clientGoneError } from './map-error.js';

/** The body of one request, as attempts see it. */
export type BodySource =
  | { readonly kind: 'none' }
  | { readonly kind: 'buffered'; readonly body: Buffer }
  | {
      readonly kind: 'streaming';
      readonly head: readonly Buffer[];
      readonly rest: AsyncIterator<Buffer>;
      /** The first byte beyond the replay buffer has been pulled from the client. */
      tailTaken: boolean;
    };

/** The body-less source (shared, immutable). */
export const NO_BODY: BodySource = Object.freeze({ kind: 'none' });

/** True while every attempt can still send the complete body. */
export function isBodyReplayable(body: BodySource): boolean {
  return body.kind !== 'streaming' || !body.tailTaken;
}

/** What an attempt passes to undici as `body`. */
export function bodyForAttempt(body: BodySource): Buffer | AsyncIterable<Buffer> | null {
  switch (body.kind) {
    case 'none': return null;
    case 'buffered': return body.body;
    case 'streaming': return { [Symbol.asyncIterator]: () => streamBody(body) };
    default: {
      const never: never = body;
      return never;
    }
  }
}

async function* streamBody(body: Extract<BodySource, { kind: 'streaming' }>): AsyncGenerator<Buffer> {
  for (const chunk of body.head) yield chunk;
  if (body.tailTaken) throw Object.assign(new Error('request body already consumed'), { code: 'UND_ERR_ABORTED' });
  body.tailTaken = true;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await body.rest.next();
    } catch (err) {
      // The client's upload broke (it left, or its framing was bad): the client's fault, never the
      // backend's (an ECONNRESET here must not read as a backend reset and cool the backend down).
      throw clientGoneError(err);
    }
    if (next.done === true) return;
    yield next.value;
  }
}

/**
 * Reads the request body up to `limit` bytes. Resolves with a `buffered` source when the body
 * ended within the limit, else a `streaming` one (the client stream is left paused). Rejects when
 * the client aborts the upload.
 */
export function prefetchBody(req: Readable, limit: number): Promise<BodySource> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      cleanup();
      req.pause();
      resolve({ kind: 'streaming', head: chunks, rest: req.iterator({ destroyOnReturn: false }), tailTaken: false });
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ kind: 'buffered', body: chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks, size) });
    };
    const onError = (err: Error): void => { cleanup(); reject(err); };
    const onClose = (): void => { cleanup(); reject(clientGoneError()); };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
