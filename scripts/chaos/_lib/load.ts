/**
 * Load through autocannon's programmatic API, counting what a client sees: responses by status and
 * by answering backend (`x-backend`), connection errors by code, timeouts, and requests that got no
 * answer at all (`lost`: sent − answered − failed). Bounded by `amount` requests and by `maxMs`.
 */
import { createRequire } from 'node:module';

/** The part of autocannon 9 used here (the package ships no types). */
interface AcRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AcRequest, context: Record<string, unknown>) => AcRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
}
interface AcClient {
  on(event: 'request', listener: () => void): void;
}
interface AcInstance {
  on(event: 'reqError', listener: (err: Error & { code?: string }) => void): void;
  on(event: 'response', listener: (client: unknown, status: number) => void): void;
  on(event: 'done', listener: () => void): void;
  stop(): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null) => void) => AcInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** What one load run observed. */
export interface LoadFigures {
  readonly sent: number;
  readonly responses: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byBackend: Readonly<Record<string, number>>;
  /** Failures by kind: `HTTP 502`, `ECONNRESET`, `timeout`, `lost`, `unclean 5xx` (5xx without a JSON error body). */
  readonly errors: Readonly<Record<string, number>>;
  readonly firstErrorAt: number | undefined;
  readonly lastErrorAt: number | undefined;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** One answered request as a hook sees it. */
export interface Answer {
  readonly status: number;
  readonly backend: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly at: number;
}

export interface LoadOptions {
  /** Full URL, path included. */
  readonly url: string;
  readonly connections?: number;
  /** Total requests (bounded). */
  readonly amount: number;
  readonly method?: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Per request: another path and/or extra headers (random cookies, path tricks). */
  readonly vary?: () => { readonly path?: string; readonly headers?: Record<string, string> };
  /** Statuses that count as success (default: 2xx). */
  readonly ok?: (status: number) => boolean;
  /** autocannon's per-request timeout, seconds (default 5). */
  readonly timeoutS?: number;
  /** Hard stop (default 120 s). */
  readonly maxMs?: number;
  readonly onAnswer?: (a: Answer) => void;
}

/** A running load. */
export interface Load {
  /** Answered + failed so far. */
  progress(): number;
  readonly done: Promise<LoadFigures>;
  stop(): void;
}

const inc = (r: Record<string, number>, k: string, n = 1): void => { r[k] = (r[k] ?? 0) + n; };

/** Starts a load run. */
export function startLoad(opts: LoadOptions): Load {
  const byStatus: Record<string, number> = {};
  const byBackend: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const ok = opts.ok ?? ((s: number) => s >= 200 && s < 300);
  let sent = 0;
  let responses = 0;
  let failed = 0;
  let firstErrorAt: number | undefined;
  let lastErrorAt: number | undefined;
  const startedAt = Date.now();
  const noteError = (kind: string): void => {
    inc(errors, kind);
    const now = Date.now();
    firstErrorAt ??= now;
    lastErrorAt = now;
  };
  const u = new URL(opts.url);
  const request: AcRequest = {
    method: opts.method ?? 'GET',
    path: u.pathname + u.search,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/octet-stream' } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    onResponse(status, body, _ctx, headers) {
      const backend = headers['x-backend'];
      if (backend !== undefined) inc(byBackend, backend);
      if (!ok(status)) {
        noteError(`HTTP ${status}`);
        if (status >= 500 && !isCleanError(body, headers)) inc(errors, `unclean ${status}`);
      }
      opts.onAnswer?.({ status, backend, headers, body, at: Date.now() });
    },
  };
  if (opts.vary) {
    const vary = opts.vary;
    request.setupRequest = (req) => {
      const x = vary();
      return { ...req, ...(x.path !== undefined ? { path: x.path } : {}), headers: { ...opts.headers, ...x.headers } };
    };
  }
  let resolveDone!: (f: LoadFigures) => void;
  const done = new Promise<LoadFigures>((resolve) => { resolveDone = resolve; });
  const connections = Math.min(opts.connections ?? 10, opts.amount);
  const instance = autocannon({
    url: `${u.protocol}//${u.host}`,
    connections,
    amount: opts.amount,
    timeout: opts.timeoutS ?? 5,
    requests: [request],
    setupClient(client: AcClient) { client.on('request', () => { sent++; }); },
  }, () => undefined);
  instance.on('response', (_c, status) => { responses++; inc(byStatus, String(status)); });
  instance.on('reqError', (err) => {
    failed++;
    noteError(err.message === 'request timed out' ? 'timeout' : err.code ?? err.message);
  });
  const guard = setTimeout(() => instance.stop(), opts.maxMs ?? 120000);
  instance.on('done', () => {
    clearTimeout(guard);
    const lost = sent - responses - failed;
    if (lost > 0) { inc(errors, 'lost', lost); lastErrorAt ??= Date.now(); }
    resolveDone({ sent, responses, byStatus, byBackend, errors, firstErrorAt, lastErrorAt, startedAt, endedAt: Date.now() });
  });
  return { progress: () => responses + failed, done, stop: () => instance.stop() };
}

/** Our error responses are JSON `{code, message}` without backend details. */
export function isCleanError(body: string, headers: Readonly<Record<string, string>>): boolean {
  if (headers['x-backend'] !== undefined) return false;
  try {
    const j = JSON.parse(body) as { code?: unknown; message?: unknown };
    return typeof j.code === 'string' && typeof j.message === 'string' && !/127\.0\.0\.1|https?:\/\//.test(body);
  } catch {
    return false;
  }
}

/** Resolves once `load.progress() >= n` (or the load ends). */
export async function whenProgress(load: Load, n: number, timeoutMs = 60000): Promise<void> {
  let finished = false;
  void load.done.then(() => { finished = true; });
  const deadline = Date.now() + timeoutMs;
  while (!finished && load.progress() < n && Date.now() < deadline) {
    await new Promise((r) => { setTimeout(r, 5); });
  }
}
