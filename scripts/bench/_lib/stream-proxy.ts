/**
 * Minimal proxy on undici `Pool#stream`: node:http + one Pool per backend + round robin; the
 * response body is written straight into the node:http response. Nothing else.
 * Run as `node stream-proxy.mjs '{"port":P,"backends":[…]}'`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { Pool, type Dispatcher } from 'undici';

interface Config { readonly port: number; readonly backends: readonly string[] }
const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const pools = config.backends.map((b) => new Pool(b, { connections: 256 }));
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

const server = createServer((req, res) => {
  const pool = pools[next]!;
  next = (next + 1) % pools.length;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  pool.stream(
    { path: req.url ?? '/', method: (req.method ?? 'GET') as Dispatcher.HttpMethod, headers: requestHeaders(req), body: hasBody ? req : null },
    ({ statusCode, headers }) => {
      for (const k of Object.keys(headers)) if (HOP.has(k)) delete headers[k];
      res.writeHead(statusCode, headers);
      return res;
    },
  ).catch(() => {
    if (!res.headersSent) { res.writeHead(502); res.end(); } else res.destroy();
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.requestTimeout = 0;
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
