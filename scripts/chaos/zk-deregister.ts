/**
 * Scenario 3: a backend deregistered from ZooKeeper under load: no request reaches it once the
 * watch has fired (the gateway's list no longer has it); a backend registered under load gets
 * traffic without a restart. No client-visible error.
 */
import { Cleanup } from './_lib/cleanup.js';
import { startLoad, whenProgress } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, haXml } from './_lib/descriptors.js';
import { put, routedUrls, startScenarioZk, startTimedBackend, whenTrue } from './_lib/zk.js';
import { Verdict, total } from './_lib/verdict.js';
import { startTestGateway } from '../../test/helpers/gateway.js';
import type { Scenario } from './_lib/types.js';

/** Grace for requests the gateway dispatched just before its list changed. */
export const IN_FLIGHT_GRACE_MS = 100;

export const scenario: Scenario = {
  name: 'zk-deregister',
  description: 'backend deregistered from ZooKeeper under load, a new one registered',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    try {
      const { zk, ns, admin } = await startScenarioZk(c);
      c.add(() => admin.close(200));
      const [b1, b2, b3, b4] = await Promise.all(['b1', 'b2', 'b3', 'b4'].map((n) => startTimedBackend(n, c))) as [Awaited<ReturnType<typeof startTimedBackend>>, Awaited<ReturnType<typeof startTimedBackend>>, Awaited<ReturnType<typeof startTimedBackend>>, Awaited<ReturnType<typeof startTimedBackend>>];
      for (const b of [b1, b2, b3]) await put(admin, `/${ns}/${b.backend.name}`, b.backend.url, 'ephemeral');
      const gw = await startTestGateway({
        xml: { [TOPOLOGY]: haXml([{ name: 'WHOAMI', attrs: { enableLoadBalancing: true, failoverSleep: 20, zookeeperEnsemble: zk.connectString, zookeeperNamespace: ns, zookeeperFormat: 'url' } }]) },
      });
      c.add(() => gw.close());
      const ready = await whenTrue(() => routedUrls(gw.gateway).length === 3, 10000);
      v.check(ready !== undefined, `the gateway never saw the 3 registered backends: ${routedUrls(gw.gateway).join(', ')}`);

      const amount = quick ? 4000 : 40000;
      const load = startLoad({ url: gw.url + WHOAMI_PATH, amount, connections: 10 });
      await whenProgress(load, amount * 0.25);
      await admin.remove(`/${ns}/b1`);
      const removedAt = Date.now();
      const firedAt = await whenTrue(() => !routedUrls(gw.gateway).includes(b1.backend.url), 10000);
      v.check(firedAt !== undefined, 'the gateway never dropped the deregistered backend');
      await whenProgress(load, amount * 0.5);
      await put(admin, `/${ns}/b4`, b4.backend.url, 'ephemeral');
      const addedAt = Date.now();
      const b4Routed = await whenTrue(() => b4.arrivals.length > 0, 10000);
      const f = await load.done;
      v.sent += f.sent;
      v.addErrors(f.errors);
      v.check(total(f.errors) === 0, `client-visible errors: ${JSON.stringify(f.errors)}`);
      if (firedAt !== undefined) {
        v.goneHits = b1.after(firedAt + IN_FLIGHT_GRACE_MS);
        v.recoverMs = firedAt - removedAt;
        v.note(`watch fired ${firedAt - removedAt} ms after the delete; b1 got ${b1.after(removedAt)} requests after the delete, ${v.goneHits} more than ${IN_FLIGHT_GRACE_MS} ms after the list changed`);
      }
      v.check(v.goneHits === 0, `${v.goneHits} requests reached the deregistered backend after the watch fired`);
      v.check(b4Routed !== undefined, 'the newly registered backend never got traffic');
      if (b4Routed !== undefined) v.note(`new backend got its first request ${b4Routed - addedAt} ms after registering`);
      v.note(`by backend ${JSON.stringify(f.byBackend)}`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
