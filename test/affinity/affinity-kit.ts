/**
 * Helpers of the session-affinity acceptance tests: descriptors, an undici client that keeps the
 * sticky cookie of a session, fan-out with bounded concurrency, admin calls and a reader of the
 * Prometheus text served by `GET /metrics`. Everything runs on 127.0.0.1 against real servers.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Agent, request, type Dispatcher } from 'undici';
import { haXml } from '../helpers/gateway.js';

/** The sticky cookie name of role HIVE with the default `stickySessionCookieName`. */
export const HIVE_COOKIE = 'KNOX_BACKEND-HIVE';

/** Knox's default `disableLoadBalancingForUserAgents` entry: such clients get cookieless affinity. */
export const ODBC_UA = 'ClouderaODBCDriverforApacheHive/2.6';

/** Lower-case hex SHA-256: Knox's cookie value of a backend URL. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Lower-case hex HMAC-SHA256 of a backend URL: a signed route token. */
export function hmacHex(key: string, text: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(text, 'utf8').digest('hex');
}

/** A fresh random topology name, so the process-wide metrics of one test never mix with another's. */
export function uniqueTopology(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** An `<ha>` descriptor with one HIVE service, load balanced and sticky, plus `attrs`. */
export function hiveXml(urls: readonly string[], attrs: Readonly<Record<string, string | number | boolean>> = {}): string {
  return haXml([{
    name: 'HIVE', urls,
    attrs: { enableLoadBalancing: true, enableStickySession: true, failoverSleep: 0, ...attrs },
  }]);
}

/** One answered request. */
export interface Answer {
  readonly status: number;
  /** The `x-backend` header, or the body when a backend does not stamp it. */
  readonly backend: string;
  readonly body: string;
  /** Every Set-Cookie header of the response. */
  readonly setCookies: readonly string[];
  /** Our sticky cookie's Set-Cookie header, if the response carried one. */
  readonly sticky: string | undefined;
}

/** Sends one GET and reads the whole answer. */
export async function get(
  url: string,
  opts: { readonly cookie?: string; readonly headers?: Record<string, string>; readonly dispatcher?: Dispatcher; readonly cookieName?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.cookie !== undefined) headers['cookie'] = opts.cookie;
  const res = await request(url, { headers, ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}) });
  const body = await res.body.text();
  const raw = res.headers['set-cookie'];
  const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const name = `${opts.cookieName ?? HIVE_COOKIE}=`;
  const stamp = res.headers['x-backend'];
  return {
    status: res.statusCode, body, setCookies,
    backend: typeof stamp === 'string' ? stamp : body,
    sticky: setCookies.find((c) => c.startsWith(name)),
  };
}

/** The `NAME=VALUE` pair of a Set-Cookie header. */
export function pairOf(setCookie: string): string {
  return setCookie.split(';', 1)[0] ?? '';
}

/** The value of a Set-Cookie header (`NAME=VALUE; ...` → VALUE). */
export function valueOf(setCookie: string): string {
  const pair = pairOf(setCookie);
  return pair.slice(pair.indexOf('=') + 1);
}

/** The route tokens of a cookie value (primary first). */
export function routesOf(value: string): string[] {
  return value.split('.');
}

/**
 * A browser-like session: it sends the sticky cookie it was given and replaces it whenever a
 * response sets a new one (counted in `reissued`).
 */
export interface Session {
  readonly cookie: string | undefined;
  readonly reissued: number;
  get(url: string, dispatcher?: Dispatcher): Promise<Answer>;
}

/** Creates a {@link Session}, optionally starting with a cookie pair `NAME=VALUE`. */
export function createSession(cookie?: string): Session {
  let current = cookie;
  let reissued = 0;
  return {
    get cookie() { return current; },
    get reissued() { return reissued; },
    async get(url, dispatcher) {
      const answer = await get(url, { ...(current !== undefined ? { cookie: current } : {}), ...(dispatcher ? { dispatcher } : {}) });
      if (answer.sticky !== undefined) {
        current = pairOf(answer.sticky);
        reissued++;
      }
      return answer;
    },
  };
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` running; results in index order. */
export async function fanOut<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) out[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/** Counts occurrences of each string. */
export function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** A keep-alive undici agent for one test (close it in the test's cleanup). */
export function keepAliveAgent(connections = 32): Agent {
  return new Agent({ connections, keepAliveTimeout: 10_000 });
}

/** POSTs JSON to the admin listener and returns the status and parsed body. */
export async function adminPost(adminUrl: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await request(`${adminUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await res.body.text();
  return { status: res.statusCode, json: text === '' ? undefined : JSON.parse(text) as unknown };
}

/** GETs a JSON document from the admin listener. */
export async function adminJson<T>(adminUrl: string, path: string): Promise<T> {
  const res = await request(`${adminUrl}${path}`);
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
  return await res.body.json() as T;
}

/** The Prometheus text of `GET /metrics`. */
export async function scrape(adminUrl: string): Promise<string> {
  const res = await request(`${adminUrl}/metrics`);
  if (res.statusCode !== 200) throw new Error(`/metrics: ${res.statusCode}`);
  return res.body.text();
}

/**
 * The value of the sample `name{labels}` in Prometheus text whose labels include every given one
 * (summed over the samples that match), 0 when none matches.
 */
export function sample(text: string, name: string, labels: Readonly<Record<string, string>>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const open = line.indexOf('{');
    const close = line.lastIndexOf('}');
    const have = new Map<string, string>();
    if (open >= 0 && close > open) {
      for (const m of line.slice(open + 1, close).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        have.set(m[1] ?? '', m[2] ?? '');
      }
    }
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
