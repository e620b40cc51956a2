/** Parent side of {@link ./backend-process.ts}: start a SIGKILL-able backend process and read its event log. */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnProcess, waitForLine, type ChaosProcess } from './procs.js';

/** What a backend process logged so far. */
export interface BackendLog {
  readonly gets: number;
  readonly posts: number;
  readonly getsAnswered: number;
  readonly postsAnswered: number;
}

/** A running backend process. */
export interface BackendProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly proc: ChaosProcess;
  /** Date.now() when SIGKILL was sent (undefined while alive). */
  readonly killedAt: number | undefined;
  log(): Promise<BackendLog>;
  /**
   * Freezes the process (SIGSTOP), counts its connections with request bytes the kernel delivered
   * but the process had not read yet (they reached the backend as far as the gateway can tell), then
   * SIGKILLs it; resolves with that count once the process is gone.
   */
  kill(): Promise<number>;
}

export interface BackendProcessOptions {
  /** Folder for the event log. */
  readonly dir: string;
  readonly port?: number;
  readonly getDelayMs?: number;
  readonly postDelayMs?: number;
}

const script = 'scripts/chaos/_lib/backend-process.ts';

/** Starts `name` (a fresh log file per start) and waits until it listens. */
export async function startBackendProcess(name: string, opts: BackendProcessOptions): Promise<BackendProcess> {
  const logFile = join(opts.dir, `${name}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}.log`);
  const proc = spawnProcess(`backend ${name}`, process.execPath, [
    '--import', 'tsx', script, name, String(opts.port ?? 0), logFile, String(opts.getDelayMs ?? 0), String(opts.postDelayMs ?? 0),
  ]);
  const m = await waitForLine(proc, /ready (\d+)/, 15000);
  const port = Number(m[1]);
  let killedAt: number | undefined;
  return {
    name, port, url: `http://127.0.0.1:${port}`, proc,
    get killedAt() { return killedAt; },
    async log() {
      const text = await readFile(logFile, 'latin1').catch(() => '');
      const count = (ch: string): number => text.split(ch).length - 1;
      return { gets: count('G'), posts: count('P'), getsAnswered: count('g'), postsAnswered: count('p') };
    },
    async kill() {
      killedAt ??= Date.now();
      let unread = 0;
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.signal('SIGSTOP');
        unread = await unreadConnections(port);
      }
      await proc.kill();
      return unread;
    },
  };
}

/** Established sockets whose local port is `port` and whose receive queue is not empty (/proc/net/tcp). */
export async function unreadConnections(port: number): Promise<number> {
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1]; const state = f[3]; const queues = f[4];
      if (local === undefined || state !== '01' || queues === undefined) continue;
      if (Number.parseInt(local.split(':')[1] ?? '', 16) !== port) continue;
      if (Number.parseInt(queues.split(':')[1] ?? '0', 16) > 0) n++;
    }
  }
  return n;
}
