/**
 * The bare stack: node:net, Node's own llhttp parser and undici `Pool#dispatch`, round robin, and
 * nothing else — no routing, no header passes, no cookies, no failover, no timeouts, no request
 * bodies, no pipelining order. Its ratio to another candidate in the same run shows what the parts
 * alone give on this machine; the gateway's ratio to it, what the gateway's features cost.
 * Measurement only: never a gateway.
 * Run as `node bare-proxy.mjs '{"port":P,"backends":["http://127.0.0.1:B1",…]}'`.
 */
import { createServer, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { STATUS_CODES } from 'node:http';
import { Pool, type Dispatcher } from 'undici';

interface Config { readonly port: number; readonly backends: readonly string[] }
interface Parser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  free(): void;
  [callback: number]: unknown;
}
interface ParserClass {
  new(): Parser;
  readonly REQUEST: number;
  readonly kOnHeaders: number;
  readonly kOnHeadersComplete: number;
  readonly kOnBody: number;
  readonly kOnMessageComplete: number;
}

const { HTTPParser, methods } = createRequire(import.meta.url)('_http_common') as { HTTPParser: ParserClass; methods: readonly string[] };
const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const pools = config.backends.map((b) => new Pool(b, { connections: 256, pipelining: 1 }));
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);
const BAD_GATEWAY = 'HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n';
let next = 0;

interface Conn { readonly socket: Socket; keepAlive: boolean }

function endToEnd(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

/**
 * Streams one backend answer to the client, head and body corked into one write. undici's raw
 * handler API (status and raw header Buffers), the cheapest it has, as hadispatch uses it.
 */
class Handler {
  constructor(private readonly conn: Conn) {}
  onConnect(): void {}
  onHeaders(status: number, raw: Buffer[]): boolean {
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toString('latin1');
      if (HOP.has(name.toLowerCase())) continue;
      head += `${name}: ${raw[i + 1]!.toString('latin1')}\r\n`;
    }
    head += this.conn.keepAlive ? '\r\n' : 'connection: close\r\n\r\n';
    this.conn.socket.cork();
    this.conn.socket.write(head, 'latin1');
    return true;
  }
  onData(chunk: Buffer): boolean { return this.conn.socket.write(chunk); }
  onComplete(): void {
    this.conn.socket.uncork();
    if (!this.conn.keepAlive) this.conn.socket.end();
  }
  onError(): void { this.conn.socket.end(BAD_GATEWAY); }
}

const server = createServer({ noDelay: true }, (socket) => {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, 16384, 0);
  const conn: Conn = { socket, keepAlive: true };
  let fields: string[] = [];
  let target = '';
  parser[HTTPParser.kOnHeaders] = (more: string[], url: string) => { fields = fields.concat(more); target += url; };
  parser[HTTPParser.kOnHeadersComplete] = (_major: number, _minor: number, headers: string[] | undefined, method: number,
    url: string | undefined, _status: unknown, _reason: unknown, _upgrade: boolean, keepAlive: boolean) => {
    const path = url ?? target;
    const raw = headers ?? fields;
    fields = [];
    target = '';
    conn.keepAlive = keepAlive;
    const pool = pools[next]!;
    next = (next + 1) % pools.length;
    const options: Dispatcher.DispatchOptions = { path, method: (methods[method] ?? 'GET') as Dispatcher.HttpMethod, headers: endToEnd(raw), body: null };
    pool.dispatch(options, new Handler(conn) as unknown as Dispatcher.DispatchHandler);
    return 0;
  };
  parser[HTTPParser.kOnBody] = () => {};
  parser[HTTPParser.kOnMessageComplete] = () => {};
  socket.on('data', (data: Buffer) => { if (typeof parser.execute(data) !== 'number') socket.destroy(); });
  socket.on('error', () => {});
  socket.on('close', () => { parser.free(); });
});
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
