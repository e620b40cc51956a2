/**
 * `serve --workers N`: the primary forks N workers that share one listening port (cluster
 * round-robin scheduling), restarts a worker that dies, forwards SIGHUP and SIGTERM, and serves
 * the admin listener (answers gathered from the workers, metrics aggregated).
 */
import cluster, { type Worker } from 'node:cluster';
import { ConfigError, childLogger } from '../../core/index.js';
import { startDemoBackends, DEFAULT_SHUTDOWN_TIMEOUT_MS, type DemoBackends } from '../../gateway/index.js';
import { startAdmin, createClusterOps, type AdminServer } from '../../admin/index.js';
import { runUntilSignalled } from './serve-signals.js';
import type { ServeConfig } from './serve-config.js';

const log = childLogger('gateway');
const RESTART_DELAY_MS = 1000;

/** Forks the workers and runs until SIGTERM/SIGINT; resolves to the exit status. */
export async function runPrimary(config: ServeConfig): Promise<number> {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  cluster.setupPrimary({ exec: process.argv[1] ?? '', args: process.argv.slice(2) });
  let stopping = false;
  const demo: DemoBackends | undefined = config.demo ? await startDemoBackends() : undefined;
  let port: number;
  try {
    port = await startWorkers(config.workers);
  } catch (err) {
    stopping = true;
    await stopWorkers(0);
    await demo?.close();
    throw err;
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.warn('worker exited, restarting', { worker: worker.id, code, signal });
    setTimeout(() => { if (!stopping) cluster.fork(); }, RESTART_DELAY_MS).unref();
  });
  let admin: AdminServer | undefined;
  if (config.adminPort !== undefined) admin = await startAdmin(createClusterOps(), { port: config.adminPort });
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  log.info('hadispatch serving', {
    url: `${config.tlsCert ? 'https' : 'http'}://${host}:${port}/${config.gatewayPath}/`, workers: config.workers,
    ...(admin ? { admin: admin.url } : {}), ...(demo ? { demo: demo.urls } : {}),
  });
  return runUntilSignalled({
    forceOnSecondSignal: true,
    reload: async () => { for (const w of liveWorkers()) w.process.kill('SIGHUP'); },
    async close() {
      stopping = true;
      await stopWorkers(DEFAULT_SHUTDOWN_TIMEOUT_MS + 5000);
      await admin?.close();
      await demo?.close();
    },
  });
}

/** Forks `n` workers; resolves with the shared port once all listen, rejects if one exits first. */
function startWorkers(n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let listening = 0;
    let port = 0;
    const onListening = (_w: Worker, address: { port: number }): void => {
      port = address.port;
      if (++listening === n) { cleanup(); resolve(port); }
    };
    const onExit = (worker: Worker, code: number | null): void => {
      cleanup();
      reject(new ConfigError(`worker ${worker.id} exited with status ${code ?? 'null'} during start-up`));
    };
    const cleanup = (): void => { cluster.off('listening', onListening); cluster.off('exit', onExit); };
    cluster.on('listening', onListening);
    cluster.on('exit', onExit);
    for (let i = 0; i < n; i++) cluster.fork();
  });
}

function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
}

/** SIGTERM to every worker (each drains), SIGKILL after `deadlineMs`. */
async function stopWorkers(deadlineMs: number): Promise<void> {
  const workers = liveWorkers();
  await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
    if (w.isDead()) { resolve(); return; }
    const timer = setTimeout(() => w.process.kill('SIGKILL'), deadlineMs);
    w.once('exit', () => { clearTimeout(timer); resolve(); });
    w.process.kill('SIGTERM');
  })));
}
