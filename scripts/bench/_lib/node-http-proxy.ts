/**
 * node-http-proxy 1.18 with a keep-alive agent, round robin over the backends.
 * Run as `node node-http-proxy.mjs '{"port":P,"backends":[…]}'`.
 */
import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';

interface Config { readonly port: number; readonly backends: readonly string[] }
const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const proxy = httpProxy.createProxyServer({ agent });
proxy.on('error', (_err, _req, res) => {
  if ('writeHead' in res && !res.headersSent) { res.writeHead(502); res.end(); } else res.destroy();
});
let next = 0;

const server = createServer((req, res) => {
  const target = config.backends[next]!;
  next = (next + 1) % config.backends.length;
  proxy.web(req, res, { target });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.requestTimeout = 0;
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
