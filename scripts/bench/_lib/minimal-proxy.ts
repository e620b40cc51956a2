/**
 * The Node floor: node:http + one undici Pool per backend + round robin, streaming both ways with a
 * `Pool#dispatch` handler. Nothing else (no failover, no cookies, no X-Forwarded-*).
 * Run as `node minimal-proxy.mjs '{"port":P,"backends":["http://127.0.0.1:B1",…]}'`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';

interface Config { readonly port: number; readonly backends: readonly string[] }
const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const pools = config.backends.map((b) => new Pool(b, { connections: 256, pipelining: 1 }));
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);
let next = 0;

function requestHeaders(req: IncomingMessage): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

function handler(req: IncomingMessage, res: ServerResponse): Dispatcher.DispatchHandler {
  return {
    onRequestStart(controller) {
      res.once('close', () => { if (!res.writableFinished) controller.abort(new Error('client closed')); });
    },
    onResponseStart(controller, statusCode, headers) {
      for (const k of Object.keys(headers)) if (HOP.has(k)) delete headers[k];
      res.writeHead(statusCode, headers);
      res.on('drain', () => controller.resume());
    },
    onResponseData(controller, chunk) {
      if (!res.write(chunk)) controller.pause();
    },
    onResponseEnd() {
      res.end();
    },
    onResponseError(_controller, err) {
      if (res.headersSent) { res.destroy(err); return; }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway\n');
      req.resume();
    },
  };
}

const server = createServer((req, res) => {
  const pool = pools[next]!;
  next = (next + 1) % pools.length;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  pool.dispatch(
    { path: req.url ?? '/', method: (req.method ?? 'GET') as Dispatcher.HttpMethod, headers: requestHeaders(req), body: hasBody ? req : null },
    handler(req, res),
  );
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.requestTimeout = 0;
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
