/**
 * Real node:http backends on 127.0.0.1:0 for tests. Each answers `200` with header
 * `x-backend: NAME` and body `NAME` unless given a handler; it counts requests, remembers the last
 * one, can hang (accept and never answer) or be killed (all sockets destroyed, port closed).
 * `closeBackends()` (in `afterEach`) closes every backend still open.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A request handler of a test backend. */
export type BackendHandler = (req: IncomingMessage, res: ServerResponse, backend: TestBackend) => void;

/** What a backend saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A running test backend. */
export interface TestBackend {
  readonly name: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Requests received (including hung ones). */
  readonly requests: number;
  readonly last: SeenRequest | undefined;
  /** Requests whose connection closed before the response finished. */
  readonly aborted: number;
  setHandler(handler: BackendHandler | undefined): void;
  /** Accept requests and never answer them (true), or answer again (false). */
  hang(on?: boolean): void;
  /** Destroys every socket and closes the port (the URL then refuses connections). */
  kill(): Promise<void>;
  close(): Promise<void>;
}

const open = new Set<TestBackend>();

/** The default answer: 200, `x-backend: NAME`, body NAME. */
export function answerName(_req: IncomingMessage, res: ServerResponse, backend: TestBackend): void {
  res.writeHead(200, { 'x-backend': backend.name, 'content-type': 'text/plain' });
  res.end(backend.name);
}

/** Starts a backend; it is closed by its `close()` or by {@link closeBackends}. */
export async function startBackend(name: string, handler?: BackendHandler): Promise<TestBackend> {
  let current: BackendHandler | undefined = handler;
  let hanging = false;
  let requests = 0;
  let aborted = 0;
  let last: SeenRequest | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests++;
    last = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    res.on('close', () => { if (!res.writableFinished) aborted++; });
    if (hanging) return;
    (current ?? answerName)(req, res, backend);
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const port = (server.address() as { port: number }).port;
  let closed = false;
  const close = async (): Promise<void> => {
    open.delete(backend);
    if (closed) return;
    closed = true;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  };
  const backend: TestBackend = {
    name, port, url: `http://127.0.0.1:${port}`,
    get requests() { return requests; },
    get aborted() { return aborted; },
    get last() { return last; },
    setHandler(h) { current = h; },
    hang(on = true) { hanging = on; },
    kill: close,
    close,
  };
  open.add(backend);
  return backend;
}

/** Closes every backend still open. */
export async function closeBackends(): Promise<void> {
  await Promise.all([...open].map((b) => b.close()));
}

/** A URL on 127.0.0.1 where nothing listens (connections are refused). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  return `http://127.0.0.1:${port}`;
}
