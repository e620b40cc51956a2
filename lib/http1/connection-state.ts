/**
 * The state of one client connection and what connections share with their server; the modules of
 * lib/http1 work on it (connection.ts reads requests, socket-control.ts pauses, drains and closes).
 */
import type { NodeHttpParser } from './parser-binding.js';
import type { ResponseOwner } from './response.js';
import type { BodyReader, Exchange } from './exchange.js';
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
/** Connected, no byte of a request yet: the head timeout runs, yet the connection counts as idle. */
export const FRESH = 3;

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
  /** The parser failed once: everything after is ignored. */
  parseFailed: boolean;
  /** closeConnection ran: the socket is ending or destroyed. */
  ending: boolean;
  consumed: boolean;
  readPaused: boolean;
  closed: boolean;
  /**
   * The sweep's last view of a send buffer with bytes waiting (the kernel's is full): the bytes
   * waiting then, and since when it saw no progress (0: nothing waiting, or a 'drain' since).
   */
  waitingSeen: number;
  stalledSince: number;
}

/** Pipelined requests queued before reading pauses. */
export const MAX_QUEUED = 16;
