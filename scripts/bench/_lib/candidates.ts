/**
 * The proxies compared by the benchmarks. Each candidate starts its own process(es), pinned to the
 * proxy CPU, in front of the given backends; `pids()` are the processes whose CPU time and memory are
 * charged to it (none for `direct`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { helperPath, type HelperScript } from './compile.js';
import { nginxHttpPaths, nginxPreamble } from './backends.js';
import { knoxCookie, startHadispatch, type HadispatchOptions } from './hadispatch.js';
import { freePort, hasCommand, processTree, startProcess, tempDir, waitForPort, type BenchProcess } from './proc.js';
import { ALL_CPUS, PROXY_CPU } from './settings.js';

/** A started candidate. */
export interface RunningCandidate {
  /** Base URL; the load generator appends a path such as `/x`. */
  readonly baseUrl: string;
  /** Request headers the load generator sends (e.g. a sticky cookie). */
  readonly headers: Readonly<Record<string, string>>;
  pids(): number[];
  stop(): Promise<void>;
}

/** A proxy (or the direct path) to measure. */
export interface Candidate {
  /** Stable id, used by `BENCH_CANDIDATES` and for ratios. */
  readonly id: string;
  /** Row label. */
  readonly label: string;
  /** Why it cannot run here (e.g. HAProxy not installed), or undefined. */
  readonly unavailable?: string;
  start(backends: readonly string[]): Promise<RunningCandidate>;
}

function fromProcess(proc: BenchProcess, baseUrl: string, headers: Record<string, string> = {}): RunningCandidate {
  return { baseUrl, headers, pids: () => processTree(proc.pid), stop: () => proc.stop() };
}

async function startHelper(name: HelperScript, backends: readonly string[], cpu = PROXY_CPU): Promise<RunningCandidate> {
  const port = await freePort();
  const proc = startProcess(name, process.execPath, [helperPath(name), JSON.stringify({ port, backends })], { cpu });
  try {
    await waitForPort(port, 15_000, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return fromProcess(proc, `http://127.0.0.1:${port}`);
}

/** The request goes straight to the first backend (no proxy). */
export const DIRECT: Candidate = {
  id: 'direct',
  label: 'direct to a backend (no proxy)',
  start: async (backends) => ({ baseUrl: backends[0]!, headers: {}, pids: () => [], stop: async () => {} }),
};

/** The Node floor: node:http + undici Pool#dispatch, round robin, nothing else. */
export const MINIMAL: Candidate = {
  id: 'minimal-dispatch',
  label: 'minimal Node proxy (undici Pool#dispatch)',
  start: (b) => startHelper('minimal-proxy', b),
};

/**
 * The bare stack: node:net + Node's llhttp + undici Pool#dispatch with nothing else (no routing,
 * header passes, cookies, failover or timeouts). Not a usable proxy: it shows what the parts
 * every candidate here is built on allow on this machine, against which the gateway's features
 * are measured.
 */
export const BARE: Candidate = {
  id: 'bare-stack',
  label: 'bare stack: node:net + llhttp + undici, no features',
  start: (b) => startHelper('bare-proxy', b),
};

/** Same as the floor with Pool#stream. */
export const MINIMAL_STREAM: Candidate = {
  id: 'minimal-stream',
  label: 'minimal Node proxy (undici Pool#stream)',
  start: (b) => startHelper('stream-proxy', b),
};

/** fastify 5 + @fastify/reply-from. */
export const FASTIFY: Candidate = {
  id: 'fastify-reply-from',
  label: 'fastify 5 + @fastify/reply-from',
  start: (b) => startHelper('fastify-proxy', b),
};

/** node-http-proxy 1.18 with a keep-alive agent. */
export const NODE_HTTP_PROXY: Candidate = {
  id: 'node-http-proxy',
  label: 'node-http-proxy 1.18 (keep-alive agent)',
  start: (b) => startHelper('node-http-proxy', b),
};

/** A hadispatch configuration as a candidate. `cookie`: send a valid Knox cookie for backend 0. */
export function hadispatchCandidate(id: string, label: string, o: Omit<HadispatchOptions, 'backends'>, cookie = false): Candidate {
  return {
    id,
    label,
    start: async (backends) => {
      const gw = await startHadispatch({ ...o, backends });
      return { baseUrl: gw.baseUrl, headers: cookie ? { Cookie: knoxCookie(backends[0]!) } : {}, pids: gw.pids, stop: gw.stop };
    },
  };
}

/** hadispatch candidates of the small-GET table. */
export const HADISPATCH_STICKY = hadispatchCandidate('hadispatch-sticky-insert', 'hadispatch LB + sticky (cookie insert)', { loadBalancing: true, sticky: true, cpu: PROXY_CPU });
export const HADISPATCH_STICKY_HIT = hadispatchCandidate('hadispatch-sticky-hit', 'hadispatch LB + sticky (cookie present)', { loadBalancing: true, sticky: true, cpu: PROXY_CPU }, true);
export const HADISPATCH_RANKED_SIGNED = hadispatchCandidate('hadispatch-ranked-signed', 'hadispatch ranked routes (2) + signed cookies (insert)', { loadBalancing: true, sticky: true, rankedRoutes: 2, signedCookies: true, cpu: PROXY_CPU });
export const HADISPATCH_WORKERS_1 = hadispatchCandidate('hadispatch-workers-1', 'hadispatch LB + sticky, --workers 1, unpinned', { loadBalancing: true, sticky: true, workers: 1, cpu: ALL_CPUS });
export const HADISPATCH_WORKERS_2 = hadispatchCandidate('hadispatch-workers-2', 'hadispatch LB + sticky, --workers 2, unpinned', { loadBalancing: true, sticky: true, workers: 2, cpu: ALL_CPUS });

/** HAProxy, 1 thread, round robin + cookie insert, connection reuse. */
export const HAPROXY: Candidate = {
  id: 'haproxy',
  label: 'HAProxy, 1 thread (roundrobin + cookie insert)',
  ...(hasCommand('haproxy') ? {} : { unavailable: 'haproxy not installed' }),
  start: async (backends) => {
    const dir = tempDir('haproxy');
    const port = await freePort();
    const servers = backends.map((b, i) => `  server s${i} ${b.replace(/^http:\/\//, '')} cookie s${i}`).join('\n');
    const cfg = `global
  nbthread 1
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout http-keep-alive 120s
  http-reuse always
frontend fe
  bind 127.0.0.1:${port}
  default_backend be
backend be
  balance roundrobin
  cookie SERVERID insert indirect
${servers}
`;
    writeFileSync(join(dir, 'haproxy.cfg'), cfg);
    const proc = startProcess('haproxy', 'haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], { cpu: PROXY_CPU });
    await waitForPort(port, 10_000, proc).catch(async (err: unknown) => { await proc.stop(); throw err; });
    return fromProcess(proc, `http://127.0.0.1:${port}`);
  },
};

/** nginx, 1 worker, upstream keepalive, round robin. */
export const NGINX: Candidate = {
  id: 'nginx',
  label: 'nginx, 1 worker (upstream keepalive)',
  ...(hasCommand('nginx') ? {} : { unavailable: 'nginx not installed' }),
  start: async (backends) => {
    const dir = tempDir('nginx-proxy');
    const port = await freePort();
    const servers = backends.map((b) => `    server ${b.replace(/^http:\/\//, '')};`).join('\n');
    const conf = `${nginxPreamble(dir)}
http {
  access_log off;
${nginxHttpPaths(dir)}
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  upstream be {
${servers}
    keepalive 128;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://be;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
`;
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const proc = startProcess('nginx-proxy', 'nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { cpu: PROXY_CPU });
    await waitForPort(port, 10_000, proc).catch(async (err: unknown) => { await proc.stop(); throw err; });
    return fromProcess(proc, `http://127.0.0.1:${port}`);
  },
};
