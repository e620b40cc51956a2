/**
 * The gateway as a real `hadispatch serve` process (bin/hadispatch.js → dist/, so run `npm run build`
 * first; CHAOS_FROM_SOURCE=1 runs lib/ through tsx instead), with the admin listener on loopback.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../test/helpers/zk-server.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { ROOT, spawnProcess, type ChaosProcess } from './procs.js';

export interface ServeOptions {
  readonly descriptorsDir: string;
  readonly port?: number;
  readonly stateDir?: string;
  readonly stickyKeyFile?: string;
  /** Wait for /ready (every ZooKeeper service has a first list) instead of /health. */
  readonly waitReady?: boolean;
  readonly startTimeoutMs?: number;
}

/** A running `serve` process. */
export interface ServeProcess {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url/gateway` */
  readonly base: string;
  readonly adminUrl: string;
  readonly proc: ChaosProcess;
  /** Date.now() when the process was spawned. */
  readonly spawnedAt: number;
  kill(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGHUP: reload the descriptors. */
  hup(): void;
}

/** The argv (after node) that runs the CLI. */
export function cliArgs(): string[] {
  if (process.env['CHAOS_FROM_SOURCE'] === '1') return ['--import', 'tsx', join(ROOT, 'scripts/chaos/_lib/cli-from-source.ts')];
  if (!existsSync(join(ROOT, 'dist/cli/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (or set CHAOS_FROM_SOURCE=1)');
  return [join(ROOT, 'bin/hadispatch.js')];
}

/** Spawns `hadispatch serve` and waits until its admin listener answers and its gateway port accepts. */
export async function startServe(opts: ServeOptions): Promise<ServeProcess> {
  const port = opts.port ?? await freePort();
  const adminPort = await freePort();
  const args = [...cliArgs(), 'serve', '--descriptors', opts.descriptorsDir, '--port', String(port), '--admin-port', String(adminPort), '--log-level', 'error'];
  if (opts.stateDir !== undefined) args.push('--state-dir', opts.stateDir);
  if (opts.stickyKeyFile !== undefined) args.push('--sticky-key-file', opts.stickyKeyFile);
  const spawnedAt = Date.now();
  const proc = spawnProcess(`gateway :${port}`, process.execPath, args);
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const path = opts.waitReady ? '/ready' : '/health';
  let exited = false;
  void proc.exited.then(() => { exited = true; });
  try {
    await eventually(async () => {
      if (exited) throw new Error('exited');
      const r = await fetch(adminUrl + path, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${path} ${r.status}`);
      // The admin listener is bound before the gateway's own listener: wait for that one too.
      const g = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      await g.arrayBuffer();
    }, opts.startTimeoutMs ?? 20000, 50);
  } catch (err) {
    await proc.kill();
    throw new Error(`gateway did not start (${String(err)}); output: ${proc.output()}`);
  }
  return {
    port, url: `http://127.0.0.1:${port}`, base: `http://127.0.0.1:${port}/gateway`, adminUrl, proc, spawnedAt,
    kill: () => proc.kill(),
    stop: () => proc.stop(5000),
    hup: () => proc.signal('SIGHUP'),
  };
}
