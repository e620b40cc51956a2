/**
 * `serve --workers N`: the primary forks N workers that share one listening port (cluster
 * round-robin scheduling), restarts a worker that dies (with back-off, and gives up when restarts
 * keep failing at start-up), forwards SIGHUP and SIGTERM, and serves the admin listener (answers
 * gathered from the workers, metrics aggregated).
 */
import cluster from 'node:cluster';
import { childLogger } from '../../core/index.js';
import { startDemoBackends, DEFAULT_SHUTDOWN_TIMEOUT_MS, type DemoBackends } from '../../gateway/index.js';
import { startAdmin, createClusterOps, liveWorkers, type AdminServer, type ClusterOps } from '../../admin/index.js';
import { runUntilSignalled } from './serve-signals.js';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './serve-restarts.js';
import { collectStartupErrors, startWorkers, stopWorkers, superviseWorkers } from './serve-supervisor.js';
import type { ServeConfig } from './serve-config.js';

const log = childLogger('gateway');

/**
 * Forks the workers and runs until SIGTERM/SIGINT; resolves to the exit status. Throws ConfigError
 * with the worker's own message when a worker fails to start (e.g. the port is in use), or when
 * restarted workers keep failing at start-up.
 */
export async function runPrimary(config: ServeConfig, policy: RestartPolicy = DEFAULT_RESTART_POLICY): Promise<number> {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  cluster.setupPrimary({ exec: process.argv[1] ?? '', args: process.argv.slice(2) });
  // Bound before any worker is forked: a busy admin port fails with one line and nothing to stop.
  // The cluster ops follow the workers from before the first fork (their ready messages, exits).
  let ops: ClusterOps | undefined;
  let admin: AdminServer | undefined;
  if (config.adminPort !== undefined) {
    const clusterOps = createClusterOps();
    ops = clusterOps;
    admin = await startAdmin(clusterOps, { port: config.adminPort }).catch((err: unknown) => { clusterOps.close(); throw err; });
  }
  const errors = collectStartupErrors();
  const demo: DemoBackends | undefined = config.demo ? await startDemoBackends() : undefined;
  let port: number;
  try {
    port = await startWorkers(config.workers, errors);
  } catch (err) {
    await stopWorkers(0);
    await admin?.close();
    ops?.close();
    await demo?.close();
    errors.stop();
    throw err;
  }
  const supervisor = superviseWorkers(policy, errors);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  log.info('hadispatch serving', {
    url: `${config.tlsCert ? 'https' : 'http'}://${host}:${port}/${config.gatewayPath}/`, workers: config.workers,
    ...(admin ? { admin: admin.url } : {}), ...(demo ? { demo: demo.urls } : {}),
  });
  return runUntilSignalled({
    forceOnSecondSignal: true,
    reload: async () => { for (const w of liveWorkers()) w.process.kill('SIGHUP'); },
    failed: supervisor.gaveUp,
    async close() {
      supervisor.stop();
      await stopWorkers(DEFAULT_SHUTDOWN_TIMEOUT_MS + 5000);
      await admin?.close();
      ops?.close();
      await demo?.close();
      errors.stop();
    },
  });
}
