/**
 * One client connection: Node's llhttp parser reads the socket (straight from its handle when the
 * socket allows, as node:http does), requests are queued in arrival order and handed to the handler
 * one at a time, so pipelined answers leave in order. The queue is bounded (reading pauses), a
 * request's body is a Readable with backpressure to the socket, and every way a request can be
 * refused (parse error, limits, missing Host, unknown expectation, timeout) is answered in order
 * with the server's refusal bytes and closes the connection.
 */
import type { Socket } from 'node:net';
import { HTTPParser, METHOD_NAMES, type NodeHttpParser, type ParseError } from './parser-binding.js';
import { createResponse, type ResponseOwner, type ServerResponse } from './response.js';
import { abortBody, openBody, pushBody, type BodyReader, type Exchange } from './exchange.js';
import type { Http1Handler, Http1ServerOptions } from './types.js';

/** What connections share with their server (server.ts). */
export interface ServerContext {
  readonly options: Http1ServerOptions;
  readonly handler: Http1Handler;
  readonly connections: Set<Connection>;
  readonly keepAliveLine: string;
  /** Coarse clock in ms, refreshed by the server's sweep: timestamps cost nothing per request. */
  nowMs: number;
}

/** Where the parser is within the current request. */
export const BETWEEN = 0;
export const IN_HEAD = 1;
export const IN_BODY = 2;

/** One connection's state. */
export interface Connection extends ResponseOwner, BodyReader {
  readonly server: ServerContext;
  readonly parser: NodeHttpParser;
  readonly remoteAddress: string;
  readonly localPort: number;
  /** Requests in arrival order; [0] is being answered. */
  readonly pending: Exchange[];
  /** The request whose body the parser is reading. */
  parsing: Exchange | undefined;
  phase: number;
  /** When the current phase began (head start, for both timeouts). */
  phaseSince: number;
  /** When the connection last became idle (keep-alive timeout). */
  idleSince: number;
  /** Head fields and URL delivered early by the parser (heads of over 32 fields). */
  headerChunks: string[];
  urlChunks: string;
  /** No further requests are accepted (close after the queued answers). */
  stopped: boolean;
  /** closeConnection ran: the socket is ending or destroyed. */
  ending: boolean;
  consumed: boolean;
  readPaused: boolean;
  closed: boolean;
}

/** Pipelined requests queued before reading pauses. */
const MAX_QUEUED = 16;
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
const CONNECT = 5;
const EXPECT_CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/** Starts serving HTTP/1.1 on `socket`. */
export function attachConnection(server: ServerContext, socket: Socket): Connection {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, server.options.maxHeaderSize, HTTPParser.kLenientNone);
  const conn: Connection = {
    server, parser, socket, keepAliveLine: server.keepAliveLine,
    remoteAddress: socket.remoteAddress ?? '', localPort: socket.localPort ?? 0,
    pending: [], parsing: undefined, phase: IN_HEAD, phaseSince: server.nowMs, idleSince: server.nowMs,
    headerChunks: [], urlChunks: '', stopped: false, ending: false, consumed: false, readPaused: false, closed: false,
    responseFinished, pauseReading, resumeReading,
  };
  parser[HTTPParser.kOnMessageBegin] = () => { conn.phase = IN_HEAD; conn.phaseSince = server.nowMs; };
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

function collectHead(conn: Connection, fields: string[], url: string): void {
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
  const ex: Exchange = {
    method, url, rawHeaders: fields, httpMinor: minor, remoteAddress: conn.remoteAddress, localPort: conn.localPort,
    body: undefined, res: createResponse(conn, method === 'HEAD', minor, keepAlive && !upgrade),
    complete: false, dispatched: false, expectContinue: false, refusal: undefined, discard: false,
  };
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

/** The refusal for a request that must not reach the handler, or undefined. Sets expectContinue. */
function checkHead(conn: Connection, ex: Exchange, methodNumber: number): string | undefined {
  const refuse = conn.server.options.refusal;
  const fields = ex.rawHeaders;
  if (fields.length > 2 * conn.server.options.maxHeadersCount) return refuse(431, 'Request Header Fields Too Large');
  if (methodNumber === CONNECT || ex.method === '') return refuse(400, 'Bad Request');
  let host = false;
  let expect: string | undefined;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') host = true;
    else if (name.length === 6 && name.toLowerCase() === 'expect') expect = fields[i + 1];
  }
  if (ex.httpMinor !== 1) return undefined;
  // RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400.
  if (!host) return refuse(400, 'Bad Request');
  if (expect === undefined) return undefined;
  if (!EXPECT_CONTINUE.test(expect)) return refuse(417, 'Expectation Failed');
  (ex as { expectContinue: boolean }).expectContinue = true;
  return undefined;
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
  if (typeof ret !== 'number' && !conn.stopped) onParseError(conn, ret);
  dispatchNext(conn);
}

function onParseError(conn: Connection, err: ParseError): void {
  conn.stopped = true;
  const refuse = conn.server.options.refusal;
  const raw = err.code === 'HPE_HEADER_OVERFLOW' ? refuse(431, 'Request Header Fields Too Large')
    : err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? refuse(413, 'Payload Too Large')
      : refuse(400, 'Bad Request');
  const broken = conn.parsing;
  conn.parsing = undefined;
  if (broken !== undefined) {
    // The head parsed but the rest did not (e.g. bad chunk framing, Transfer-Encoding not ending
    // in chunked). Not handed over yet: it is refused in its turn. Else its body fails, and the
    // client gets the refusal unless its answer has started.
    if (!broken.dispatched) { broken.refusal = raw; broken.discard = true; return; }
    abortBody(broken);
    closeConnection(conn, conn.pending[0] === broken && !broken.res.headersSent ? raw : undefined);
    return;
  }
  const ex: Exchange = {
    method: '', url: '', rawHeaders: [], httpMinor: 1, remoteAddress: conn.remoteAddress, localPort: conn.localPort,
    body: undefined, res: createResponse(conn, false, 1, false),
    complete: true, dispatched: false, expectContinue: false, refusal: raw, discard: true,
  };
  conn.pending.push(ex);
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
    ex.discard = true;
    this.resumeReading();
    return;
  }
  advance(this);
}

function advance(conn: Connection): void {
  conn.pending.shift();
  if (conn.pending.length === 0) conn.idleSince = conn.server.nowMs;
  conn.resumeReading();
  dispatchNext(conn);
}

function pauseReading(this: Connection): void {
  if (this.readPaused || this.closed) return;
  this.readPaused = true;
  if (!this.consumed) { this.socket.pause(); return; }
  const handle = handleOf(this.socket);
  if (handle?.reading === true) { handle.reading = false; handle.readStop(); }
}

function resumeReading(this: Connection): void {
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

function onDrain(conn: Connection): void {
  const res = conn.pending[0]?.res;
  const waiting = res?.onDrain;
  if (res === undefined || waiting === undefined) return;
  res.onDrain = undefined;
  waiting();
}

function onClose(conn: Connection): void {
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
