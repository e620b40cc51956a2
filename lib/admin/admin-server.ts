/** The admin listener (loopback by default): health, readiness, backends, drain, metrics, reload. */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, HaError, childLogger, errFields } from '../core/index.js';
import { sendError } from '../dispatch/index.js';
import type { AdminOps, DrainRequest } from './types.js';

const log = childLogger('admin');

/** Largest accepted request body (drain/undrain JSON). */
export const ADMIN_MAX_BODY_BYTES = 16384;

/** Options of {@link startAdmin}. */
export interface AdminOptions {
  /** Default 127.0.0.1 (the admin surface can drain backends: keep it off the public network). */
  readonly host?: string;
  readonly port: number;
}

/** A running admin listener. */
export interface AdminServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the admin listener. Throws ConfigError when the address is in use. */
export async function startAdmin(ops: AdminOps, options: AdminOptions): Promise<AdminServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer({ headersTimeout: 10000, requestTimeout: 30000 }, (req, res) => {
    handle(ops, req, res).catch((err: unknown) => {
      if (err instanceof HaError && err.status !== undefined) {
        log.warn('admin request failed', { path: pathOf(req), ...errFields(err) });
        sendError(res, err);
        return;
      }
      log.error('admin request failed', { path: pathOf(req), ...errFields(err) });
      sendError(res, 'HAD_ERR_GATEWAY_INTERNAL');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: Error & { code?: string }) => {
      reject(new ConfigError(`admin ${host}:${options.port}: cannot listen: ${err.code ?? err.message}`, { cause: err }));
    });
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.debug('admin listening', { url });
  return { url, close: () => closeServer(server) };
}

async function handle(ops: AdminOps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req);
  // HEAD is GET without the body (node:http leaves the body out), for load balancers' health checks.
  const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
  if (method === 'POST' && isFromBrowserPage(req)) {
    return sendJson(res, 403, { code: 'HAD_ERR_REQUEST_INVALID', message: 'admin requests from web pages are refused' });
  }
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /health': return sendJson(res, 200, { status: 'ok' });
    case 'GET /ready': {
      const r = await ops.ready();
      return sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', reasons: r.reasons });
    }
    case 'GET /backends': return sendJson(res, 200, await ops.backends());
    case 'GET /metrics': {
      const m = await ops.metrics();
      res.writeHead(200, { 'content-type': m.contentType, 'cache-control': 'no-store' });
      res.end(m.body);
      return;
    }
    case 'POST /backends/drain':
    case 'POST /backends/undrain': return drain(ops, req, res, path === '/backends/drain');
    case 'POST /reload': return sendJson(res, 200, await ops.reload());
    default:
      if (['/health', '/ready', '/backends', '/metrics', '/backends/drain', '/backends/undrain', '/reload'].includes(path)) {
        res.setHeader('allow', path.startsWith('/backends/') || path === '/reload' ? 'POST' : 'GET, HEAD');
        return sendJson(res, 405, { code: 'HAD_ERR_REQUEST_INVALID', message: 'method not allowed' });
      }
      return sendError(res, 'HAD_ERR_ADMIN_NOT_FOUND');
  }
}

async function drain(ops: AdminOps, req: IncomingMessage, res: ServerResponse, on: boolean): Promise<void> {
  const body = await readBody(req, ADMIN_MAX_BODY_BYTES);
  if (body === undefined) {
    res.setHeader('connection', 'close');
    return sendJson(res, 413, { code: 'HAD_ERR_REQUEST_INVALID', message: `body larger than ${ADMIN_MAX_BODY_BYTES} bytes` });
  }
  const request = parseDrainRequest(body);
  if (request === undefined) {
    return sendJson(res, 400, { code: 'HAD_ERR_REQUEST_INVALID', message: 'expected JSON {"topology","service","url"} (strings)' });
  }
  if (!(await ops.setDraining(request, on))) {
    return sendJson(res, 404, { code: 'HAD_ERR_NOT_FOUND', message: 'no such topology, service or backend' });
  }
  return sendJson(res, 200, { ...request, draining: on });
}

/** The parsed body, or undefined when it is not an object of three strings. */
export function parseDrainRequest(body: string): DrainRequest | undefined {
  let v: unknown;
  try { v = JSON.parse(body); } catch { return undefined; }
  if (typeof v !== 'object' || v === null) return undefined;
  const { topology, service, url } = v as Record<string, unknown>;
  if (typeof topology !== 'string' || typeof service !== 'string' || typeof url !== 'string') return undefined;
  return { topology, service, url };
}

/** The body as text, or undefined when it exceeds `limit` bytes (reading stops there). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) { req.pause(); resolve(undefined); return; }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A browser sends Origin with every POST (Fetch standard), also from a page whose host name was
 * rebound to 127.0.0.1; curl, scripts and monitoring do not. Refusing those requests keeps a web
 * page from draining backends or reloading through the operator's browser (CSRF, DNS rebinding).
 */
function isFromBrowserPage(req: IncomingMessage): boolean {
  return req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined;
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value, null, 2) + '\n';
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
