/**
 * One client connection: Node's llhttp parser reads the socket (straight from its handle when the
 * socket allows, as node:http does), requests are queued in arrival order and handed to the handler
 * one at a time, so pipelined answers leave in order. The queue is bounded (reading pauses), a
 * request's body is a Readable with backpressure to the socket, and every way a request can be
 * refused (parse error, limits, missing Host, unknown expectation, timeout) is answered in order
 * with the server's refusal bytes and closes the connection.
 */
import type { Socket } from 'node:net';
import { HTTPParser, METHOD_NAMES, type ParseError } from './parser-binding.js';
import { createResponse, type ServerResponse } from './response.js';
import { createExchange, dropBody, openBody, pushBody, type Exchange } from './exchange.js';
import { BETWEEN, FRESH, IN_BODY, IN_HEAD, MAX_QUEUED, type Connection, type ServerContext } from './connection-state.js';
import { checkHead, onParseError } from './head-checks.js';
import { closeConnection, onClose, onDrain, pauseReading, resumeReading } from './socket-control.js';

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

/** Starts serving HTTP/1.1 on `socket`. */
export function attachConnection(server: ServerContext, socket: Socket): Connection {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, server.options.maxHeaderSize, HTTPParser.kLenientNone);
  const conn: Connection = {
    server, parser, socket, keepAliveLine: server.keepAliveLine,
    remoteAddress: socket.remoteAddress ?? '', localPort: socket.localPort ?? 0,
    pending: [], parsing: undefined, phase: FRESH, phaseSince: server.nowMs, idleSince: server.nowMs,
    headerChunks: [], urlChunks: '', stopped: false, parseFailed: false, ending: false, consumed: false, readPaused: false, closed: false,
    waitingSeen: 0, stalledSince: 0,
    responseFinished, pauseReading, resumeReading,
  };
  parser[HTTPParser.kOnMessageBegin] = () => { beginMessage(conn); };
  parser[HTTPParser.kOnHeaders] = (fields: string[], url: string) => { collectHead(conn, fields, url); };
  parser[HTTPParser.kOnHeadersComplete] = (major: number, minor: number, fields: string[] | undefined, method: number,
    url: string | undefined, _status: unknown, _reason: unknown, upgrade: boolean, keepAlive: boolean) =>
    onHead(conn, major * 10 + minor, fields ?? takeFields(conn), method, url ?? takeUrl(conn), upgrade, keepAlive);
  parser[HTTPParser.kOnBody] = (chunk: Buffer) => { if (conn.parsing !== undefined) pushBody(conn.parsing, chunk, conn); };
  parser[HTTPParser.kOnMessageComplete] = () => { onMessageEnd(conn); };
  const handle = (socket as unknown as { _handle?: { isStreamBase?: boolean; _consumed?: boolean } })._handle;
  if (handle?.isStreamBase === true && handle._consumed !== true) {
    handle._consumed = true;
    conn.consumed = true;
    parser[HTTPParser.kOnExecute] = (ret: number | ParseError) => { afterExecute(conn, ret); };
    parser.consume(handle);
  } else {
    socket.on('data', (data: Buffer) => { afterExecute(conn, parser.execute(data)); });
  }
  socket.on('drain', () => { onDrain(conn); });
  socket.on('error', ignore);
  socket.on('close', () => { onClose(conn); });
  return conn;
}

function ignore(): void {}

function beginMessage(conn: Connection): void {
  conn.phase = IN_HEAD;
  conn.phaseSince = conn.server.nowMs;
}

/**
 * Head fields delivered before the head is complete (heads of over 32 fields). The parser also
 * delivers a chunked body's trailers here, after the head: they are not forwarded, so dropped.
 */
function collectHead(conn: Connection, fields: string[], url: string): void {
  if (conn.phase !== IN_HEAD) return;
  if (conn.headerChunks.length <= 2 * conn.server.options.maxHeadersCount) for (const f of fields) conn.headerChunks.push(f);
  conn.urlChunks += url;
}

function takeFields(conn: Connection): string[] {
  const fields = conn.headerChunks;
  conn.headerChunks = [];
  return fields;
}

function takeUrl(conn: Connection): string {
  const url = conn.urlChunks;
  conn.urlChunks = '';
  return url;
}

/** `version` is major * 10 + minor (11 for HTTP/1.1). */
function onHead(conn: Connection, version: number, fields: string[], methodNumber: number, url: string, upgrade: boolean, keepAlive: boolean): number {
  if (conn.stopped) return 0;
  const minor = version === 11 ? 1 : 0;
  const method = METHOD_NAMES[methodNumber] ?? '';
  const ex = createExchange(conn, method, url, fields, minor, createResponse(conn, method === 'HEAD', minor, keepAlive && !upgrade));
  conn.parsing = ex;
  conn.phase = IN_BODY;
  const refusal = version !== 11 && version !== 10 ? conn.server.options.refusal(505, 'HTTP Version Not Supported') : checkHead(conn, ex, methodNumber);
  if (refusal !== undefined) {
    ex.refusal = refusal;
    ex.discard = true;
  }
  if (refusal !== undefined || upgrade || !keepAlive) conn.stopped = true;
  conn.pending.push(ex);
  if (conn.pending.length >= MAX_QUEUED) conn.pauseReading();
  return 0;
}

function onMessageEnd(conn: Connection): void {
  const ex = conn.parsing;
  conn.parsing = undefined;
  conn.phase = BETWEEN;
  if (ex === undefined) return;
  ex.complete = true;
  if (ex.body !== undefined && !ex.discard) ex.body.push(null);
  if (ex.discard && ex.res.finished && conn.pending[0] === ex) advance(conn);
}

function afterExecute(conn: Connection, ret: number | ParseError): void {
  // A request being read fails even when no further request was to be read (Connection: close).
  if (typeof ret !== 'number' && !conn.parseFailed && (!conn.stopped || conn.parsing !== undefined)) {
    conn.parseFailed = true;
    onParseError(conn, ret);
  }
  dispatchNext(conn);
}

/** Hands the head of the queue to the handler (or answers its refusal), once. */
function dispatchNext(conn: Connection): void {
  const ex = conn.pending[0];
  if (ex === undefined || ex.dispatched || conn.closed) return;
  ex.dispatched = true;
  if (ex.refusal !== undefined) { closeConnection(conn, ex.refusal); return; }
  if (!ex.complete) {
    if (ex.expectContinue) conn.socket.write(CONTINUE, 'latin1');
    if (ex.body === undefined) openBody(ex, conn);
  }
  try {
    conn.server.handler(ex, ex.res);
  } catch {
    ex.res.destroy();
  }
}

function responseFinished(this: Connection, res: ServerResponse): void {
  const ex = this.pending[0];
  if (ex === undefined || ex.res !== res) return;
  if (!res.keepAlive || (this.stopped && this.pending.length === 1)) {
    closeConnection(this, '');
    return;
  }
  if (!ex.complete) {
    // Answered before its body ended: read the rest and drop it, then go on (as node:http does).
    dropBody(ex);
    this.resumeReading();
    return;
  }
  advance(this);
}

function advance(conn: Connection): void {
  conn.pending.shift();
  if (conn.pending.length === 0) {
    conn.idleSince = conn.server.nowMs;
    conn.resumeReading();
    return;
  }
  conn.resumeReading();
  // The next pipelined request starts on its own turn of the event loop, never inside the previous
  // answer's end(): that end() may run inside the upstream client's callbacks (a 502 sent from its
  // error path), which must not be entered again, and a long pipeline must not grow the stack.
  setImmediate(dispatchNext, conn);
}

