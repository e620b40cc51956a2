/**
 * Scenario 6: the gateway restarted (SIGKILL, then a new `serve` process) while ZooKeeper is down,
 * with --state-dir: it routes at once on the last known list, without waiting for ZooKeeper.
 */
import { Cleanup } from './_lib/cleanup.js';
import { startServe } from './_lib/gateway-procs.js';
import { startLoad } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, haXml, writeDescriptor } from './_lib/descriptors.js';
import { put, startScenarioZk, startTimedBackend } from './_lib/zk.js';
import { Verdict, total } from './_lib/verdict.js';
import { eventually } from '../../test/helpers/eventually.js';
import type { Scenario } from './_lib/types.js';

export const scenario: Scenario = {
  name: 'zk-down-restart',
  description: 'gateway restarted while ZooKeeper is down, with --state-dir',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    try {
      const { zk, ns, admin } = await startScenarioZk(c);
      const bs = await Promise.all(['b1', 'b2'].map((n) => startTimedBackend(n, c)));
      for (const b of bs) await put(admin, `/${ns}/${b.backend.name}`, b.backend.url);
      await admin.close(200);
      const dir = await c.tempDir('restart-desc');
      const stateDir = await c.tempDir('restart-state');
      await writeDescriptor(dir, TOPOLOGY, haXml([{ name: 'WHOAMI', attrs: { enableLoadBalancing: true, failoverSleep: 20, zookeeperEnsemble: zk.connectString, zookeeperNamespace: ns, zookeeperFormat: 'url' } }]));
      const first = await startServe({ descriptorsDir: dir, stateDir, waitReady: true });
      c.add(() => first.kill());
      const warm = await startLoad({ url: first.url + WHOAMI_PATH, amount: quick ? 500 : 5000, connections: 4 }).done;
      v.sent += warm.sent;
      v.check(Object.keys(warm.byBackend).length === 2, `before the outage both backends answer: ${JSON.stringify(warm.byBackend)}`);

      await zk.stop('SIGKILL');
      await first.kill();
      const second = await startServe({ descriptorsDir: dir, stateDir, port: first.port });
      c.add(() => second.kill());
      // The first request, as soon as the listener accepts.
      const r = await fetch(second.url + WHOAMI_PATH);
      await r.arrayBuffer();
      const listeningAt = Date.now();
      v.check(r.status === 200, `first request after the restart (${listeningAt - second.spawnedAt} ms after spawn): ${r.status}, not routed at once`);
      // How long until it does route (bounded), for the figures.
      let early = 0;
      const routedAt = await eventually(async () => {
        const rr = await fetch(second.url + WHOAMI_PATH);
        await rr.arrayBuffer();
        if (rr.status !== 200) { early++; throw new Error(`status ${rr.status}`); }
        return Date.now();
      }, 30000, 20).catch(() => undefined);
      v.sent += early + 1;
      if (early > 0) v.errors[`HTTP 503 before the state dir list was used`] = early + (r.status === 200 ? 0 : 1);
      v.recoverMs = (routedAt ?? Date.now()) - second.spawnedAt;
      v.note(`listening ${listeningAt - second.spawnedAt} ms after spawn; first 200 ${v.recoverMs} ms after spawn`);
      const load = await startLoad({ url: second.url + WHOAMI_PATH, amount: quick ? 2000 : 20000, connections: 8 }).done;
      v.sent += load.sent + 1;
      v.addErrors(load.errors);
      v.check(total(load.errors) === 0, `errors while ZooKeeper is down after the restart: ${JSON.stringify(load.errors)}`);
      v.check(Object.keys(load.byBackend).length === 2, `both backends from the state dir answer: ${JSON.stringify(load.byBackend)}`);
      const ready = await fetch(`${second.adminUrl}/ready`);
      v.note(`/ready while ZooKeeper is down: ${ready.status}`);
      await ready.arrayBuffer();

      await zk.restart();
      await eventually(async () => {
        const rr = await fetch(`${second.adminUrl}/ready`);
        await rr.arrayBuffer();
        if (rr.status !== 200) throw new Error(`/ready ${rr.status}`);
      }, 20000, 100).catch((err: unknown) => v.check(false, `not ready after ZooKeeper came back: ${String(err)}`));
      const back = await startLoad({ url: second.url + WHOAMI_PATH, amount: 300, connections: 4 }).done;
      v.sent += back.sent;
      v.addErrors(back.errors, 'after ZooKeeper is back: ');
      v.check(total(back.errors) === 0, `errors after ZooKeeper came back: ${JSON.stringify(back.errors)}`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
