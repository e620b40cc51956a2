/**
 * Process plumbing for the benchmarks: spawning (optionally pinned with `taskset -c CPU`), killing
 * everything we started (even on error or Ctrl-C), and reading CPU time and memory from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A process started by the bench. `stop()` is idempotent. */
export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr/stdout so far (last 8 KiB), for error messages. */
  output(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of live) {
      try { if (c.pid !== undefined) process.kill(-c.pid, 'SIGKILL'); } catch { /* group gone */ }
      try { c.kill('SIGKILL'); } catch { /* already gone */ }
    }
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => process.exit(130));
  }
}

const commandCache = new Map<string, boolean>();
/** Whether an executable is on PATH. */
export function hasCommand(cmd: string): boolean {
  let ok = commandCache.get(cmd);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
    commandCache.set(cmd, ok);
  }
  return ok;
}

/** Number of online CPUs the pinning may use. */
export function cpuCount(): number {
  const r = spawnSync('nproc', [], { encoding: 'utf8' });
  const n = Number.parseInt(r.stdout ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

/** `taskset -c CPU` pinning is used when taskset exists, the machine has ≥ 2 CPUs and BENCH_PIN≠0. */
export function canPin(): boolean {
  return process.env['BENCH_PIN'] !== '0' && hasCommand('taskset') && cpuCount() >= 2;
}

/** Options of {@link startProcess}. */
export interface StartOptions {
  /** CPU list for `taskset -c` (e.g. "0" or "0,1"); ignored when pinning is unavailable. */
  readonly cpu?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Spawns a process in its own process group (so `stop()` also ends its children). */
export function startProcess(name: string, cmd: string, args: readonly string[], opts: StartOptions = {}): BenchProcess {
  hookExit();
  const [file, argv] = opts.cpu !== undefined && canPin() ? ['taskset', ['-c', opts.cpu, cmd, ...args]] : [cmd, [...args]];
  const child = spawn(file, argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: opts.env ?? process.env,
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
  });
  live.add(child);
  let out = '';
  const keep = (b: Buffer): void => { out = (out + b.toString('utf8')).slice(-8192); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => { live.delete(child); resolve(code); });
    child.once('error', (err) => { keep(Buffer.from(String(err))); live.delete(child); resolve(null); });
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  const pid = child.pid;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!live.has(child)) return;
      try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ }
      const timer = setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await exited;
      clearTimeout(timer);
      try { process.kill(-pid, 'SIGKILL'); } catch { /* leftover children gone too */ }
    })();
    return stopping;
  };
  return { name, pid, child, output: () => out, exited, stop };
}

/** Runs a process to completion and returns its stdout (throws with its output on non-zero exit). */
export async function runToEnd(name: string, cmd: string, args: readonly string[], opts: StartOptions = {}): Promise<string> {
  const p = startProcess(name, cmd, args, opts);
  let stdout = '';
  p.child.stdout?.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
  const code = await p.exited;
  if (code !== 0) throw new Error(`${name} exited ${code}: ${p.output().trim().slice(-600)}`);
  return stdout;
}

/** A private temp directory removed when the bench exits. */
export function tempDir(prefix: string): string {
  hookExit();
  const d = mkdtempSync(join(tmpdir(), `hadispatch-bench-${prefix}-`));
  tempDirs.add(d);
  return d;
}

/** A currently free TCP port on 127.0.0.1 (bound and released; good enough for a bench). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Polls until 127.0.0.1:PORT accepts connections; throws after `timeoutMs` or if `proc` exits. */
export async function waitForPort(port: number, timeoutMs: number, proc?: BenchProcess): Promise<void> {
  let exited = false;
  void proc?.exited.then(() => { exited = true; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc?.name ?? 'process'} exited before listening on ${port}: ${proc?.output().trim().slice(-800) ?? ''}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`${proc?.name ?? 'process'} did not listen on ${port} within ${timeoutMs} ms: ${proc?.output().trim().slice(-800) ?? ''}`);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const CLK_TCK = ((): number => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number.parseInt(r.stdout ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

function readStat(pid: number): { ppid: number; cpuUs: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces).
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(f[1]);
    const ticks = Number(f[11]) + Number(f[12]); // utime + stime
    return { ppid, cpuUs: (ticks * 1e6) / CLK_TCK };
  } catch {
    return undefined;
  }
}

/** `pid` and all its live descendants (for `serve --workers N`). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const st = readStat(Number(e));
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(e));
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const p = queue[i]!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** CPU time (user + system, µs) used so far by the given processes. */
export function cpuTimeUs(pids: readonly number[]): number {
  let sum = 0;
  for (const p of pids) sum += readStat(p)?.cpuUs ?? 0;
  return sum;
}

function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Peak resident set (VmHWM, KiB) summed over the given processes. */
export function peakRssKiB(pids: readonly number[]): number {
  return pids.reduce((s, p) => s + statusKiB(p, 'VmHWM'), 0);
}

/** Current resident set (VmRSS, KiB) summed over the given processes. */
export function rssKiB(pids: readonly number[]): number {
  return pids.reduce((s, p) => s + statusKiB(p, 'VmRSS'), 0);
}

/**
 * Samples the summed VmRSS of `pids()` every `everyMs` until `stop()`; returns the max seen.
 * Used to show that memory stays flat while a large body streams through.
 */
export function sampleRss(pids: () => readonly number[], everyMs = 25): { stop(): number } {
  let max = rssKiB(pids());
  const t = setInterval(() => { max = Math.max(max, rssKiB(pids())); }, everyMs);
  return { stop: () => { clearInterval(t); return Math.max(max, rssKiB(pids())); } };
}
