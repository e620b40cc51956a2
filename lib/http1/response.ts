/**
 * The response half of an exchange: the status line and head are built by string concatenation
 * straight from the handler's flat header list (names checked as tokens, values for control
 * characters, as node:http does), the body framed by Content-Length as given, else chunked for an
 * HTTP/1.1 client or close-delimited for HTTP/1.0. Head and body of a small response leave in one
 * write (copied into one buffer); a larger body follows the head in one corked writev.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Http1Response } from './types.js';

/** What a response needs from its connection (connection.ts). */
export interface ResponseOwner {
  readonly socket: Socket;
  /** `keep-alive: timeout=N` line (with CRLF) of the server. */
  readonly keepAliveLine: string;
  /** The response ended (called once). */
  responseFinished(res: ServerResponse): void;
}

/** The response object: the public surface plus the framing state. */
export interface ServerResponse extends Http1Response {
  readonly owner: ResponseOwner;
  /** The request was HEAD (no body whatever the headers say). */
  readonly isHead: boolean;
  readonly httpMinor: number;
  /** The connection stays open after this response. */
  keepAlive: boolean;
  headersSent: boolean;
  finished: boolean;
  destroyed: boolean;
  /** Body bytes are sent at all (not HEAD, 204, 304). */
  bodyAllowed: boolean;
  chunked: boolean;
  /** The body ends with the connection (HTTP/1.0 without Content-Length). */
  closeDelimited: boolean;
  /** The head, until it is written with the first body chunk, by end(), or on the next tick. */
  head: string | undefined;
}

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const CRLF = '\r\n';
const LAST_CHUNK = '0\r\n\r\n';
/** Bodies up to this size leave in the same write as the head (copied once, instead of a writev). */
const JOIN_LIMIT = 8192;

/** Creates the response of one request. */
export function createResponse(owner: ResponseOwner, isHead: boolean, httpMinor: number, keepAlive: boolean): ServerResponse {
  return {
    owner, isHead, httpMinor, keepAlive,
    headersSent: false, finished: false, destroyed: false, bodyAllowed: !isHead, chunked: false, closeDelimited: false, head: undefined,
    onAbort: undefined, abortContext: undefined, onDrain: undefined,
    writeHead, write, end, destroy,
  };
}

function writeHead(this: ServerResponse, status: number, headers: readonly string[]): void {
  if (this.headersSent) throw headError('ERR_HTTP_HEADERS_SENT', 'headers already sent');
  let head = statusLine(status);
  let hasLength = false;
  let hasDate = false;
  let close = !this.keepAlive;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    const value = headers[i + 1] as string;
    if (name === 'connection') { if (value.toLowerCase() === 'close') close = true; continue; }
    if (name === 'transfer-encoding') continue; // the framing is ours
    if (!TOKEN.test(name)) throw headError('ERR_INVALID_HTTP_TOKEN', 'invalid header name');
    if (INVALID_VALUE.test(value)) throw headError('ERR_INVALID_CHAR', 'invalid header value');
    if (name === 'content-length') hasLength = true;
    else if (name === 'date') hasDate = true;
    head += `${name}: ${value}\r\n`;
  }
  const bodyAllowed = !this.isHead && status !== 204 && status !== 304 && status >= 200;
  if (bodyAllowed && !hasLength) {
    if (this.httpMinor >= 1) { this.chunked = true; head += 'transfer-encoding: chunked\r\n'; } else { close = true; this.closeDelimited = true; }
  }
  if (!hasDate) head += `date: ${httpDate()}\r\n`;
  head += close ? 'connection: close\r\n\r\n' : this.owner.keepAliveLine;
  this.keepAlive = !close;
  this.bodyAllowed = bodyAllowed;
  this.headersSent = true;
  if (this.destroyed) return;
  // Held until the first body chunk or end() (one write for head and a small body), at the latest
  // until the next tick, so a backend that is slow to send its body does not delay the head.
  this.head = head;
  process.nextTick(flushHead, this);
}

function write(this: ServerResponse, chunk: Buffer): boolean {
  if (this.destroyed || this.finished) return true;
  if (!this.headersSent) throw headError('ERR_HTTP_HEADERS_NOT_SENT', 'write before writeHead');
  if (!this.bodyAllowed || chunk.length === 0) return true;
  const socket = this.owner.socket;
  const head = this.head;
  if (head !== undefined) {
    this.head = undefined;
    if (!this.chunked && chunk.length <= JOIN_LIMIT) return socket.write(joined(head, chunk));
    socket.cork();
    socket.write(head, 'latin1');
    const ok = writeBody(this, socket, chunk);
    socket.uncork();
    return ok;
  }
  if (!this.chunked) return socket.write(chunk);
  socket.cork();
  const ok = writeBody(this, socket, chunk);
  socket.uncork();
  return ok;
}

function writeBody(res: ServerResponse, socket: Socket, chunk: Buffer): boolean {
  if (!res.chunked) return socket.write(chunk);
  socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
  socket.write(chunk);
  return socket.write(CRLF, 'latin1');
}

function end(this: ServerResponse, chunk?: Buffer): void {
  if (this.finished) return;
  if (!this.headersSent) throw headError('ERR_HTTP_HEADERS_NOT_SENT', 'end before writeHead');
  if (chunk !== undefined) this.write(chunk);
  this.finished = true;
  if (this.destroyed) return;
  const socket = this.owner.socket;
  const last = this.chunked && this.bodyAllowed ? LAST_CHUNK : '';
  const head = this.head;
  if (head !== undefined) {
    this.head = undefined;
    socket.write(head + last, 'latin1');
  } else if (last !== '') {
    socket.write(last, 'latin1');
  }
  this.owner.responseFinished(this);
}

function destroy(this: ServerResponse): void {
  if (this.destroyed) return;
  this.destroyed = true;
  const socket = this.owner.socket;
  // A close-delimited body cut short must not end with a FIN, which would read as its normal end.
  if (this.closeDelimited && this.headersSent) {
    try { socket.resetAndDestroy(); return; } catch { /* not a TCP handle (TLS): a plain close */ }
  }
  socket.destroy();
}

function flushHead(res: ServerResponse): void {
  const head = res.head;
  if (head === undefined || res.destroyed) return;
  res.head = undefined;
  res.owner.socket.write(head, 'latin1');
}

/** Head and body in one buffer (latin1: one byte per character, as the head is built). */
function joined(head: string, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(head.length + body.length);
  out.write(head, 0, 'latin1');
  body.copy(out, head.length);
  return out;
}

function headError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const STATUS_LINES: string[] = [];

/** `HTTP/1.1 200 OK\r\n`, built once per status. */
function statusLine(status: number): string {
  const known = STATUS_LINES[status];
  if (known !== undefined) return known;
  if (!Number.isInteger(status) || status < 100 || status > 999) throw headError('ERR_HTTP_INVALID_STATUS_CODE', `invalid status ${status}`);
  const line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
  STATUS_LINES[status] = line;
  return line;
}

let dateSecond = -1;
let dateText = '';

/** The IMF-fixdate of now, recomputed once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}
