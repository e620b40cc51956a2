/**
 * Requests refused before the handler sees them, with the server's refusal bytes: heads over the
 * field limit, CONNECT, HTTP/1.1 without Host or any request with two, unknown expectations, and parse errors (the parser
 * stopped: bad framing, smuggling attempts, oversized heads).
 */
import { createResponse } from './response.js';
import { abortBody, createExchange, type Exchange } from './exchange.js';
import type { ParseError } from './parser-binding.js';
import { closeConnection } from './socket-control.js';
import type { Connection } from './connection-state.js';

const CONNECT = 5;
const EXPECT_CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/** The refusal for a request that must not reach the handler, or undefined. Sets expectContinue. */
export function checkHead(conn: Connection, ex: Exchange, methodNumber: number): string | undefined {
  const refuse = conn.server.options.refusal;
  const fields = ex.rawHeaders;
  if (fields.length > 2 * conn.server.options.maxHeadersCount) return refuse(431, 'Request Header Fields Too Large');
  if (methodNumber === CONNECT || ex.method === '') return refuse(400, 'Bad Request');
  let hosts = 0;
  let expect: string | undefined;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    else if (name.length === 6 && name.toLowerCase() === 'expect') expect = fields[i + 1];
  }
  // RFC 9112 §3.2: a request with more than one Host, or an HTTP/1.1 request without one, is
  // answered 400 (two Hosts could be read differently by us and by the backend).
  if (hosts > 1) return refuse(400, 'Bad Request');
  if (ex.httpMinor !== 1) return undefined;
  if (hosts === 0) return refuse(400, 'Bad Request');
  if (expect === undefined) return undefined;
  if (!EXPECT_CONTINUE.test(expect)) return refuse(417, 'Expectation Failed');
  ex.expectContinue = true;
  return undefined;
}

/**
 * The parser failed: the request being read (if its head parsed) or a new refusal takes the error
 * answer in its turn, and no further request is read.
 */
export function onParseError(conn: Connection, err: ParseError): void {
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
    // client gets the refusal unless its answer has started; an answer already complete (sent
    // before the body ended) is still delivered whole before the connection closes.
    if (!broken.dispatched) { broken.refusal = raw; broken.discard = true; return; }
    abortBody(broken);
    const res = broken.res;
    closeConnection(conn, conn.pending[0] !== broken ? undefined : !res.headersSent ? raw : res.finished ? '' : undefined);
    return;
  }
  const ex = createExchange(conn, '', '', [], 1, createResponse(conn, false, 1, false));
  ex.complete = true;
  ex.refusal = raw;
  ex.discard = true;
  conn.pending.push(ex);
}
