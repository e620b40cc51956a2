/** The WHOAMI demo backends of `serve --demo` (SPEC §1): they answer with their name and an echo. */
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { childLogger } from '../core/index.js';

const log = childLogger('gateway');

/** The demo backends `descriptors/sandbox.xml` points at. */
export const DEMO_BACKENDS: readonly { readonly name: string; readonly port: number }[] = Object.freeze([
  { name: 'whoami-1', port: 50070 },
  { name: 'whoami-2', port: 50071 },
]);

/** Running demo backends. */
export interface DemoBackends {
  /** URLs of the backends that did start. */
  readonly urls: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts the demo backends on `host` (default 127.0.0.1). A port already in use is logged at
 * `warn` and skipped (another gateway's demo may own it). Never rejects.
 */
export async function startDemoBackends(
  backends: readonly { readonly name: string; readonly port: number }[] = DEMO_BACKENDS, host = '127.0.0.1',
): Promise<DemoBackends> {
  const started: Server[] = [];
  const urls: string[] = [];
  for (const { name, port } of backends) {
    const server = createServer((req, res) => answer(name, req, res));
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', (err: Error & { code?: string }) => {
        log.warn('demo backend not started', { backend: name, port, code: err.code ?? err.message });
        resolve(false);
      });
      server.listen(port, host, () => resolve(true));
    });
    if (!ok) continue;
    started.push(server);
    urls.push(`http://${host}:${port}`);
    log.debug('demo backend listening', { backend: name, url: `http://${host}:${port}` });
  }
  return {
    urls,
    async close() {
      await Promise.all(started.map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      })));
    },
  };
}

/** Echoes method, path and headers as JSON; the query string is left out (it may carry secrets). */
function answer(name: string, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  req.resume();
  req.on('end', () => {
    const body = JSON.stringify({
      backend: name, method: req.method, path: q < 0 ? url : url.slice(0, q), headers: req.headers,
    }, null, 2) + '\n';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-backend': name });
    res.end(body);
  });
}
