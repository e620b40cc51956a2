/**
 * `createHttp1Server`: hadispatch's client-facing HTTP/1.1 server on node:net (or node:tls). It
 * does what a proxy needs and node:http's server does per request on top (an IncomingMessage and a
 * ServerResponse stream, a header object, per-request timers) is left out. Timeouts are checked by
 * one sweep per server over its connections, as node:http checks its headers and request timeouts.
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { attachConnection } from './connection.js';
import { BETWEEN, FRESH, IN_BODY, IN_HEAD, type Connection, type ServerContext } from './connection-state.js';
import { closeConnection } from './socket-control.js';
import type { Http1Handler, Http1ServerOptions } from './types.js';

/** A net (or TLS) server speaking HTTP/1.1, with node:http's connection controls. */
export interface Http1Server extends Server {
  /** Closes every connection that has no request in progress. */
  closeIdleConnections(): void;
  /** Destroys every connection. */
  closeAllConnections(): void;
}

/** Creates (does not start) the server. */
export function createHttp1Server(options: Http1ServerOptions, handler: Http1Handler): Http1Server {
  const ctx: ServerContext = {
    options, handler, connections: new Set(), nowMs: Date.now(),
    keepAliveLine: options.keepAliveTimeoutMs > 0
      ? `connection: keep-alive\r\nkeep-alive: timeout=${Math.max(1, Math.floor(options.keepAliveTimeoutMs / 1000))}\r\n\r\n`
      : 'connection: keep-alive\r\n\r\n',
  };
  const accept = (socket: Socket): void => {
    ctx.connections.add(attachConnection(ctx, socket));
  };
  let server: Server;
  if (options.tls !== undefined) {
    server = createTlsServer({ cert: options.tls.cert, key: options.tls.key, ALPNProtocols: ['http/1.1'] });
    server.on('secureConnection', (socket: TLSSocket) => { socket.setNoDelay(true); accept(socket); });
    server.on('tlsClientError', (_err: Error, socket: TLSSocket) => { socket.destroy(); });
  } else {
    server = createNetServer({ noDelay: true }, accept);
  }
  const interval = sweepIntervalMs(options);
  let timer: NodeJS.Timeout | undefined;
  server.on('listening', () => {
    timer ??= setInterval(sweep, interval, ctx, interval).unref();
  });
  server.on('close', () => { clearInterval(timer); timer = undefined; });
  return Object.assign(server, {
    closeIdleConnections(): void {
      for (const conn of ctx.connections) if (isIdle(conn)) conn.socket.destroy();
    },
    closeAllConnections(): void {
      for (const conn of ctx.connections) conn.socket.destroy();
    },
  });
}

/** No request in progress: nothing queued and no byte of a next request received. */
function isIdle(conn: Connection): boolean {
  return conn.pending.length === 0 && (conn.phase === BETWEEN || conn.phase === FRESH);
}

/** A quarter of the shortest timeout, between 25 ms and 1 s. */
function sweepIntervalMs(options: Http1ServerOptions): number {
  const timeouts = [options.headersTimeoutMs, options.keepAliveTimeoutMs, options.requestTimeoutMs, options.sendTimeoutMs].filter((t) => t > 0);
  return Math.max(25, Math.min(1000, ...timeouts.map((t) => Math.floor(t / 4))));
}

/**
 * Timestamps are taken from the coarse clock (up to one interval old), so a timeout fires once
 * `timeout + interval` has passed by that clock: never early, at most two intervals late.
 */
function sweep(ctx: ServerContext, interval: number): void {
  const now = Date.now();
  ctx.nowMs = now;
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, sendTimeoutMs } = ctx.options;
  for (const conn of ctx.connections) {
    if (conn.closed) continue;
    // Also for a connection that is ending: its last answer may be what the client does not take.
    if (sendTimeoutMs > 0 && isStalled(conn, now, sendTimeoutMs + interval)) { conn.socket.destroy(); continue; }
    if (conn.ending) continue;
    const inPhase = now - conn.phaseSince - interval;
    if (conn.phase === IN_HEAD || conn.phase === FRESH) {
      // A head that waits behind an answer still in progress (pipelining, or reading paused with
      // the queue full) is not late: its client waits for that answer. It times out only once
      // that answer is done.
      if (headersTimeoutMs > 0 && inPhase >= headersTimeoutMs && !isAnswering(conn)) timeOut(conn);
    } else if (conn.phase === IN_BODY) {
      if (requestTimeoutMs > 0 && inPhase >= requestTimeoutMs) timeOut(conn);
    } else if (conn.phase === BETWEEN && conn.pending.length === 0 && keepAliveTimeoutMs > 0 && now - conn.idleSince - interval >= keepAliveTimeoutMs) {
      conn.socket.destroy();
    }
  }
}

/**
 * Bytes of the answer have waited in the socket for `limitMs` without any progress (sampled by the
 * sweep: a 'drain' or fewer bytes waiting restarts the count). Bytes wait in the socket only while
 * the kernel's send buffer is full, that is while the client takes nothing. This also covers a
 * connection that is ending with its last answer unsent. Closing it aborts the upstream request.
 */
function isStalled(conn: Connection, now: number, limitMs: number): boolean {
  const waiting = conn.socket.writableLength;
  if (waiting === 0) { conn.stalledSince = 0; return false; }
  const progress = waiting < conn.waitingSeen;
  conn.waitingSeen = waiting;
  if (conn.stalledSince === 0 || progress) { conn.stalledSince = now; return false; }
  return now - conn.stalledSince >= limitMs;
}

function isAnswering(conn: Connection): boolean {
  const current = conn.pending[0];
  return current !== undefined && current.dispatched && !current.res.finished;
}

/** 408 when no answer has started on the connection, else the connection is cut. */
function timeOut(conn: Connection): void {
  const current = conn.pending[0];
  const raw = current === undefined || !current.res.headersSent ? conn.server.options.refusal(408, 'Request Timeout') : undefined;
  closeConnection(conn, raw);
}
