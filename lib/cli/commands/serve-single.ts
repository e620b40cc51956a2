/** `serve` in one process (and the body of each `--workers` worker). */
import cluster from 'node:cluster';
import { childLogger } from '../../core/index.js';
import { startGateway, startDemoBackends, type DemoBackends, type Gateway, type GatewayOptions } from '../../gateway/index.js';
import { startAdmin, createDeferredOps, createLocalOps, serveAdminToPrimary, type AdminServer } from '../../admin/index.js';
import { runUntilSignalled } from './serve-signals.js';
import type { ServeConfig } from './serve-config.js';

const log = childLogger('gateway');

/**
 * Runs the gateway (plus demo backends and admin when asked) until SIGTERM/SIGINT; resolves to the
 * exit status. The admin listener is bound first and the gateway binds its listener before it starts
 * discovery, so a busy port or a bad host fails fast with nothing else to stop (one stderr line).
 */
export async function runSingle(config: ServeConfig, options: GatewayOptions): Promise<number> {
  const pending = createDeferredOps();
  let demo: DemoBackends | undefined;
  let gateway: Gateway | undefined;
  let admin: AdminServer | undefined;
  try {
    if (config.adminPort !== undefined) admin = await startAdmin(pending.ops, { port: config.adminPort });
    if (config.demo) demo = await startDemoBackends();
    gateway = await startGateway(options);
    pending.resolve(createLocalOps(gateway));
  } catch (err) {
    pending.fail();
    await admin?.close();
    await demo?.close();
    throw err;
  }
  const gw = gateway;
  log.info('hadispatch serving', {
    url: `${gw.url}/${gw.gatewayPath}/`, ...(admin ? { admin: admin.url } : {}), ...(demo ? { demo: demo.urls } : {}),
  });
  return runUntilSignalled({
    forceOnSecondSignal: true,
    reload: () => gw.reload(),
    async close() {
      await gw.close();
      await admin?.close();
      await demo?.close();
    },
  });
}

/** One `--workers` worker: the gateway only; the primary owns admin and the demo backends. */
export async function runWorker(options: GatewayOptions): Promise<number> {
  const gateway = await startGateway(options);
  const stopAdmin = serveAdminToPrimary(gateway, createLocalOps(gateway));
  log.debug('worker ready', { worker: cluster.worker?.id, url: gateway.url });
  return runUntilSignalled({
    forceOnSecondSignal: false,
    reload: () => gateway.reload(),
    async close() {
      await gateway.close();
      stopAdmin();
    },
  });
}
