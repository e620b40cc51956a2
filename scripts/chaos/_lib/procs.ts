/**
 * Child processes of the chaos suite: spawned in their own process group, remembered, and killed
 * (SIGKILL, whole group) when the suite's process exits for any reason, so nothing outlives a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const live = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => { for (const child of live) killGroup(child, 'SIGKILL'); });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } }
}

/** A spawned process. */
export interface ChaosProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Last 8 KiB of stdout+stderr (for error messages). */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** Sends a signal to the process group (SIGKILL: immediate). */
  signal(sig: NodeJS.Signals): void;
  /** SIGKILLs the group and waits for the exit. Idempotent. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `cmd args` in its own process group with piped output. */
export function spawnProcess(name: string, cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChaosProcess {
  hookExit();
  const child = spawn(cmd, [...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } });
  live.add(child);
  let out = '';
  const keep = (d: Buffer): void => { out = (out + d.toString()).slice(-8192); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, sig) => { live.delete(child); resolve(code ?? sig ?? -1); });
    child.once('error', (err) => { live.delete(child); out += String(err); resolve(-1); });
  });
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
  const proc: ChaosProcess = {
    name,
    child,
    pid: child.pid ?? -1,
    output: () => out,
    exited,
    signal: (sig) => killGroup(child, sig),
    async kill() {
      if (!gone()) killGroup(child, 'SIGKILL');
      await exited;
    },
    async stop(graceMs = 5000) {
      if (gone()) { await exited; return; }
      killGroup(child, 'SIGTERM');
      const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
  return proc;
}

/** Resolves with the first stdout line matching `re` (its match), or rejects after `timeoutMs` / on exit. */
export function waitForLine(proc: ChaosProcess, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) { cleanup(); resolve(m); }
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`${proc.name}: no line matching ${re} within ${timeoutMs} ms; output: ${proc.output()}`)); }, timeoutMs);
    const onExit = (): void => { cleanup(); reject(new Error(`${proc.name} exited before printing ${re}; output: ${proc.output()}`)); };
    const cleanup = (): void => { clearTimeout(timer); proc.child.stdout?.off('data', onData); proc.child.off('exit', onExit); };
    proc.child.stdout?.on('data', onData);
    proc.child.once('exit', onExit);
  });
}

/** A bounded wait that is part of a fault (e.g. "longer than the session timeout"); never used to wait for a result. */
export function hold(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}
