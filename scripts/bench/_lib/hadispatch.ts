/**
 * Starts hadispatch as a real process (`node bin/hadispatch.js serve …`) on a generated descriptor,
 * and waits until it routes (the port accepts connections and a GET through it answers 2xx).
 */
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
  /** A command the gateway's `node` runs under (e.g. valgrind and its options). */
  readonly wrap?: readonly string[];
  /** Extra `node` flags (after `BENCH_NODE_FLAGS`). */
  readonly nodeFlags?: readonly string[];
  /** How long start-up may take, ms (default 20 s each for the port and the first answer). */
  readonly startTimeoutMs?: number;
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

const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'hadispatch-bench', 'build');
let entry: string | undefined;

/**
 * The script that runs the hadispatch CLI: `bin/hadispatch.js` (which imports `dist/`), or with
 * `BENCH_BUILD=1` a private build of the current `lib/` (tsc into node_modules/.cache, so the bench
 * neither needs nor touches `dist/` while others are building) plus a launcher like bin/hadispatch.js.
 */
export function hadispatchEntry(): string {
  if (entry !== undefined) return entry;
  if (process.env['BENCH_BUILD'] !== '1') {
    entry = join(ROOT, 'bin', 'hadispatch.js');
    return entry;
  }
  process.stderr.write('bench: BENCH_BUILD=1: compiling lib/ into node_modules/.cache/hadispatch-bench/build\n');
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD_DIR], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`bench: tsc reported errors (using what it emitted):\n${(r.stdout ?? '').slice(0, 2000)}\n`);
  const launcher = join(ROOT, 'node_modules', '.cache', 'hadispatch-bench', 'hadispatch-launcher.mjs');
  writeFileSync(launcher, `import { main } from ${JSON.stringify(pathToFileURL(join(BUILD_DIR, 'cli', 'index.js')).href)};
main(process.argv.slice(2)).then((code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { process.stderr.write(\`hadispatch: internal error: \${err?.stack ?? err}\\n\`); process.exitCode = 70; });
`);
  entry = launcher;
  return entry;
}

/** Why hadispatch cannot be benchmarked, or undefined when there is a CLI to run. */
export function hadispatchUnavailable(): string | undefined {
  if (process.env['BENCH_BUILD'] === '1') {
    hadispatchEntry();
    return existsSync(join(BUILD_DIR, 'cli', 'index.js')) ? undefined : 'the private build of lib/ emitted no CLI (see the tsc output above)';
  }
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) return 'dist/cli/index.js is missing: run `npm run build` first (or set BENCH_BUILD=1)';
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
  if (process.env['BENCH_BUILD'] !== '1' && existsSync(cli) && newest(join(ROOT, 'lib')) > statSync(cli).mtimeMs) {
    process.stderr.write('bench: note: lib/ is newer than dist/ — run `npm run build` (or set BENCH_BUILD=1) to measure the current code\n');
  }
}

/** Extra node flags for the gateway (`BENCH_NODE_FLAGS`, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`). */
function nodeFlags(): string[] {
  return (process.env['BENCH_NODE_FLAGS'] ?? '').split(/\s+/).filter(Boolean);
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
  const args = [...nodeFlags(), ...(o.nodeFlags ?? []), hadispatchEntry(), 'serve', '--descriptors', descriptors, '--port', String(port), '--log-level', 'error'];
  if (o.signedCookies) {
    const keyFile = join(dir, 'sticky.keys');
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`);
    args.push('--sticky-key-file', keyFile);
  }
  if (o.workers !== undefined) args.push('--workers', String(o.workers));
  const [cmd, ...cmdArgs] = [...(o.wrap ?? []), process.execPath, ...args] as [string, ...string[]];
  const proc = startProcess('hadispatch', cmd, cmdArgs, { cwd: ROOT, ...(o.cpu !== undefined ? { cpu: o.cpu } : {}) });
  const baseUrl = `http://127.0.0.1:${port}${GATEWAY_PREFIX}`;
  const timeout = o.startTimeoutMs ?? 20_000;
  try {
    await waitForPort(port, timeout, proc);
    await waitForRoute(`${baseUrl}/ready`, timeout, proc);
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
