/**
 * Node's own HTTP/1.1 parser (llhttp, in C++), as node:http uses it: strict mode, so requests with
 * both Content-Length and Transfer-Encoding, duplicate Content-Lengths, bad chunk framing or
 * invalid header characters are refused (request smuggling), and heads over the size limit fail
 * with HPE_HEADER_OVERFLOW. Reached through `_http_common`, the only module that exports it; this
 * file is its one home.
 */
import { createRequire } from 'node:module';

/** The parser binding's instance API (what node:http itself calls). */
export interface NodeHttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  /** Bytes parsed, or an Error with `code` (`HPE_*`) and `bytesParsed`. */
  execute(data: Buffer): number | ParseError;
  finish(): number | ParseError | undefined;
  /** Reads straight from a stream handle (no 'data' events); results arrive at kOnExecute. */
  consume(handle: object): void;
  unconsume(): void;
  pause(): void;
  resume(): void;
  free(): void;
  remove(): void;
  [callback: number]: unknown;
}

/** A parse failure as the binding reports it. */
export interface ParseError extends Error {
  readonly code: string;
  readonly bytesParsed: number;
}

interface HttpParserClass {
  new(): NodeHttpParser;
  readonly REQUEST: number;
  readonly kOnMessageBegin: number;
  readonly kOnHeaders: number;
  readonly kOnHeadersComplete: number;
  readonly kOnBody: number;
  readonly kOnMessageComplete: number;
  readonly kOnExecute: number;
  readonly kLenientNone: number;
}

const common = createRequire(import.meta.url)('_http_common') as { HTTPParser: HttpParserClass; methods: readonly string[] };

export const HTTPParser: HttpParserClass = common.HTTPParser;

/**
 * Method names by llhttp's method number. `_http_common.methods` is a list, not llhttp's numbering
 * (QUERY is 34th there, 46 in llhttp), so the table is learnt once by parsing each method.
 */
export const METHOD_NAMES: readonly string[] = learnMethodNumbers(common.methods);

function learnMethodNumbers(names: readonly string[]): string[] {
  const table: string[] = [];
  const parser = new HTTPParser();
  for (const name of names) {
    parser.initialize(HTTPParser.REQUEST, {}, 0, HTTPParser.kLenientNone);
    let seen = -1;
    parser[HTTPParser.kOnHeadersComplete] = (_ma: number, _mi: number, _h: string[], method: number) => { seen = method; return 0; };
    parser[HTTPParser.kOnMessageComplete] = () => undefined;
    parser.execute(Buffer.from(`${name} / HTTP/1.1\r\nHost: x\r\n\r\n`, 'latin1'));
    if (seen >= 0) table[seen] = name;
  }
  parser.free();
  return table;
}
