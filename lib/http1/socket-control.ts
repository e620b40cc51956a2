/**
 * Socket side of a connection: pausing and resuming reads (bounded queue, body backpressure; with
 * the parser reading the handle directly, as node:http does, that means readStop/readStart on the
 * handle), drain, closing after the queued answers, and the abort of unfinished answers on close.
 */
import type { Socket } from 'node:net';
import { abortBody } from './exchange.js';
import { MAX_QUEUED, type Connection } from './connection-state.js';

/** Stops reading from the socket (idempotent). */
export function pauseReading(this: Connection): void {
  if (this.readPaused || this.closed) return;
  this.readPaused = true;
  if (!this.consumed) { this.socket.pause(); return; }
  const handle = handleOf(this.socket);
  if (handle?.reading === true) { handle.reading = false; handle.readStop(); }
}

/** Reads again unless the queue is full (idempotent). */
export function resumeReading(this: Connection): void {
  if (!this.readPaused || this.closed || this.pending.length >= MAX_QUEUED) return;
  this.readPaused = false;
  if (!this.consumed) { this.socket.resume(); return; }
  const handle = handleOf(this.socket);
  if (handle !== undefined && handle.reading !== true) { handle.reading = true; handle.readStart(); }
}

interface StreamHandle { reading?: boolean; readStart(): void; readStop(): void }

function handleOf(socket: Socket): StreamHandle | undefined {
  return (socket as unknown as { _handle?: StreamHandle | null })._handle ?? undefined;
}

/**
 * Ends the connection: with `raw` ('' for nothing more) after what was written, else at once. Every
 * queued response stops writing; 'close' then aborts the unfinished ones.
 */
export function closeConnection(conn: Connection, raw: string | undefined): void {
  if (conn.ending) return;
  conn.ending = true;
  conn.stopped = true;
  for (const ex of conn.pending) if (!ex.res.finished) ex.res.destroyed = true;
  if (raw === undefined) { conn.socket.destroy(); return; }
  if (raw !== '') conn.socket.write(raw, 'latin1');
  conn.socket.destroySoon();
}

/** The socket drained: the answer waiting for it writes on. */
export function onDrain(conn: Connection): void {
  conn.stalledSince = 0; // progress: the client took bytes, the send timeout counts afresh
  const res = conn.pending[0]?.res;
  const waiting = res?.onDrain;
  if (res === undefined || waiting === undefined) return;
  res.onDrain = undefined;
  waiting();
}

/** The socket closed: unfinished answers are aborted, bodies still arriving fail, the parser is freed. */
export function onClose(conn: Connection): void {
  conn.closed = true;
  conn.server.connections.delete(conn);
  const pending = conn.pending.splice(0);
  for (const ex of pending) {
    abortBody(ex);
    const res = ex.res;
    if (!ex.dispatched || res.finished) continue;
    res.destroyed = true;
    const onAbort = res.onAbort as ((context: unknown) => void) | undefined;
    res.onAbort = undefined;
    onAbort?.(res.abortContext);
  }
  const parser = conn.parser;
  if (conn.consumed) parser.unconsume();
  setImmediate(() => { parser.remove(); parser.free(); });
}
