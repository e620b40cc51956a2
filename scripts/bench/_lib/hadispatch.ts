/**
 * Starts hadispatch as a real process (`node bin/hadispatch.js serve …`) on a generated descriptor,
 * and waits until it routes (the port accepts connections and a GET through it answers 2xx).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { ROOT } from './compile.js';
import { freePort, processTree, sleep, startProcess, tempDir, waitForPort, type BenchProcess } from './proc.js';

/** The service (role) name in bench descriptors; its path is `bench`, in topology `bench`. */
export const ROLE = 'BENCH';
/** Path prefix that routes to the bench service. */
export const GATEWAY_PREFIX = '/gateway/bench/bench';

/** How the bench service is configured. */
export interface HadispatchOptions {
  readonly backends: readonly string[];
  readonly loadBalancing: boolean;
  readonly sticky: boolean;
  /** `stickySessionRankedRoutes` (omitted when undefined). */
  readonly rankedRoutes?: number;
  /** Start with `--sticky-key-file` (signed cookies). */
  readonly signedCookies?: boolean;
  readonly workers?: number;
  /** taskset CPU list. */
  readonly cpu?: string;
}

/** A running gateway. */
export interface RunningGateway {
  readonly port: number;
  /** `http://127.0.0.1:PORT/gateway/bench/bench`. */
  readonly baseUrl: string;
  readonly process: BenchProcess;
  /** The serve process and, with `--workers`, its worker processes. */
  pids(): number[];
  stop(): Promise<void>;
}

/** Knox's plain sticky cookie for a backend: `KNOX_BACKEND-BENCH=<sha256 hex of the URL>`. */
export function knoxCookie(backendUrl: string): string {
  return `KNOX_BACKEND-${ROLE}=${createHash('sha256').update(backendUrl).digest('hex')}`;
}

/** The descriptor XML for the bench service. */
export function benchDescriptor(o: HadispatchOptions): string {
  const attrs = [
    `name="${ROLE}"`,
    `enableLoadBalancing="${o.loadBalancing}"`,
    `enableStickySession="${o.sticky}"`,
    'maxFailoverAttempts="3"',
    'failoverSleep="0"',
    ...(o.rankedRoutes !== undefined ? [`stickySessionRankedRoutes="${o.rankedRoutes}"`] : []),
  ];
  const urls = o.backends.map((u) => `    <url>${u}</url>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ha>\n  <service ${attrs.join(' ')}>\n${urls}\n  </service>\n</ha>\n`;
}

/** Why hadispatch cannot be benchmarked, or undefined when `dist/` has a CLI to run. */
export function hadispatchUnavailable(): string | undefined {
  const cli = join(ROOT, 'dist', 'cli', 'index.js');
  if (!existsSync(cli)) return 'dist/cli/index.js is missing: run `npm run build` first';
  return undefined;
}

/** Warns on stderr when lib/ has sources newer than dist/ (the bench runs the built gateway). */
export function warnIfStale(): void {
  const newest = (dir: string, depth = 0): number => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < 6) t = Math.max(t, newest(p, depth + 1));
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
    }
    return t;
  };
  const cli = join(ROOT, 'dist', 'cli', 'index.js');
  if (existsSync(cli) && newest(join(ROOT, 'lib')) > statSync(cli).mtimeMs) {
    process.stderr.write('bench: note: lib/ is newer than dist/ — run `npm run build` to measure the current code\n');
  }
}

/** Starts the gateway and waits until a GET through it answers 2xx (at most 20 s). */
export async function startHadispatch(o: HadispatchOptions): Promise<RunningGateway> {
  const why = hadispatchUnavailable();
  if (why) throw new Error(why);
  const dir = tempDir('hadispatch');
  const descriptors = join(dir, 'descriptors');
  mkdirSync(descriptors);
  writeFileSync(join(descriptors, 'bench.xml'), benchDescriptor(o));
  const port = await freePort();
  const args = [join(ROOT, 'bin', 'hadispatch.js'), 'serve', '--descriptors', descriptors, '--port', String(port), '--log-level', 'error'];
  if (o.signedCookies) {
    const keyFile = join(dir, 'sticky.keys');
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`);
    args.push('--sticky-key-file', keyFile);
  }
  if (o.workers !== undefined) args.push('--workers', String(o.workers));
  const proc = startProcess('hadispatch', process.execPath, args, { cwd: ROOT, ...(o.cpu !== undefined ? { cpu: o.cpu } : {}) });
  const baseUrl = `http://127.0.0.1:${port}${GATEWAY_PREFIX}`;
  try {
    await waitForPort(port, 20_000, proc);
    await waitForRoute(`${baseUrl}/ready`, 20_000, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { port, baseUrl, process: proc, pids: () => processTree(proc.pid), stop: () => proc.stop() };
}

async function waitForRoute(url: string, timeoutMs: number, proc: BenchProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await request(url);
      await r.body.text();
      if (r.statusCode < 300) return;
      last = `status ${r.statusCode}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`hadispatch did not route ${url} within ${timeoutMs} ms (${last}): ${proc.output().trim().slice(-600)}`);
}
