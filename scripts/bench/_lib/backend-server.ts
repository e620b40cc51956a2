/**
 * Bench backend, run as its own process: `node backend-server.mjs '{"ports":[P1,P2]}'`.
 * Listens on every given port of 127.0.0.1 and answers:
 * - `POST|PUT /up…`: reads the whole request body and answers its byte count;
 * - `GET /down?bytes=N…`: streams N bytes (64 KiB chunks, honouring back-pressure);
 * - anything else: `200 hello\n` (6 bytes), the small-GET case.
 * Prints `ready` on stdout once every port listens.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface Config { readonly ports: readonly number[] }
const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const HELLO = Buffer.from('hello\n');
const CHUNK = Buffer.alloc(64 * 1024, 'x');

function upload(req: IncomingMessage, res: ServerResponse): void {
  let n = 0;
  req.on('data', (b: Buffer) => { n += b.length; });
  req.on('end', () => {
    const body = `${n}\n`;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

function download(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
  let left = total;
  const pump = (): void => {
    while (left > 0) {
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      if (!res.write(chunk)) { res.once('drain', pump); return; }
    }
    res.end();
  };
  pump();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  if (url.includes('/up')) return upload(req, res);
  const m = /\/down\?bytes=(\d+)/.exec(url);
  if (m) { req.resume(); return download(res, Number(m[1])); }
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 6 });
  res.end(HELLO);
}

let pending = config.ports.length;
for (const port of config.ports) {
  const server = createServer(handle);
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  server.requestTimeout = 0;
  server.listen(port, '127.0.0.1', () => { if (--pending === 0) process.stdout.write('ready\n'); });
}
process.on('SIGTERM', () => process.exit(0));
