/**
 * Scenario 5: ZooKeeper black-holed through a TCP proxy for longer than the session timeout, then
 * healed. The gateway keeps routing on its last list throughout, notices the dead session itself
 * (the client library would report "connected" forever), reconnects with a new session and re-reads:
 * changes made during the black hole show up. No client-visible error.
 */
import { Cleanup } from './_lib/cleanup.js';
import { startLoad } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, haXml } from './_lib/descriptors.js';
import { hold } from './_lib/procs.js';
import { put, routedUrls, sessionOf, startScenarioZk, startTimedBackend, whenTrue } from './_lib/zk.js';
import { IN_FLIGHT_GRACE_MS } from './zk-deregister.js';
import { Verdict, total } from './_lib/verdict.js';
import { startTestGateway } from '../../test/helpers/gateway.js';
import { startTcpProxy } from '../../test/helpers/tcp-proxy.js';
import type { Scenario } from './_lib/types.js';

export const scenario: Scenario = {
  name: 'zk-blackhole',
  description: 'ZooKeeper black-holed longer than the session timeout, then healed',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    try {
      const sessionTimeoutMs = quick ? 3000 : 10000;
      const { zk, ns, admin } = await startScenarioZk(c);
      const proxy = await startTcpProxy(zk.port);
      c.add(() => proxy.close());
      c.add(() => admin.close(200));
      const bs = await Promise.all(['b1', 'b2', 'b3', 'b4'].map((n) => startTimedBackend(n, c)));
      const [b1, b2, b3, b4] = bs as [typeof bs[0], typeof bs[0], typeof bs[0], typeof bs[0]];
      for (const b of [b1, b2, b3]) await put(admin, `/${ns}/${b.backend.name}`, b.backend.url);
      const gw = await startTestGateway({
        zkSessionTimeoutMs: sessionTimeoutMs,
        xml: { [TOPOLOGY]: haXml([{ name: 'WHOAMI', attrs: { enableLoadBalancing: true, failoverSleep: 20, zookeeperEnsemble: proxy.connectString, zookeeperNamespace: ns, zookeeperFormat: 'url' } }]) },
      });
      c.add(() => gw.close());
      v.check(await whenTrue(() => routedUrls(gw.gateway).length === 3, 10000) !== undefined, 'the gateway never saw the 3 backends');
      const before = sessionOf(gw.gateway);

      const load = startLoad({ url: gw.url + WHOAMI_PATH, amount: 1_000_000, connections: 8, maxMs: 120000 });
      c.add(() => load.stop());
      const states = new Set<string>();
      const watch = setInterval(() => states.add(sessionOf(gw.gateway).state), 20);
      c.add(() => clearInterval(watch));
      await hold(500);
      proxy.blackhole();
      // The fault itself: longer than the session timeout. Meanwhile the registry changes.
      await admin.remove(`/${ns}/b1`);
      await put(admin, `/${ns}/b4`, b4.backend.url);
      await hold(Math.round(sessionTimeoutMs * 1.5) + 1000);
      const duringBlackhole = routedUrls(gw.gateway);
      v.check(duringBlackhole.length === 3 && duringBlackhole.includes(b1.backend.url), `during the black hole the last list was not kept: ${duringBlackhole.join(', ')}`);
      proxy.heal();
      const healedAt = Date.now();
      const want = [b2, b3, b4].map((b) => b.backend.url).sort().join(' ');
      const reRead = await whenTrue(() => routedUrls(gw.gateway).slice().sort().join(' ') === want, quick ? 20000 : 60000);
      v.check(reRead !== undefined, `after healing the gateway did not re-read the list (routes on ${routedUrls(gw.gateway).join(', ')})`);
      if (reRead !== undefined) v.recoverMs = reRead - healedAt;
      const b4First = await whenTrue(() => b4.arrivals.length > 0, 5000);
      v.check(b4First !== undefined, 'the backend registered during the black hole never got traffic');
      await hold(300);
      load.stop();
      const f = await load.done;
      clearInterval(watch);
      const after = sessionOf(gw.gateway);
      v.sent += f.sent;
      const lost = f.errors['lost'] ?? 0;
      const errors = { ...f.errors, lost: Math.max(0, lost - 8) };
      v.addErrors(errors);
      v.check(total(errors) === 0, `client-visible errors: ${JSON.stringify(f.errors)}`);
      v.check(after.state === 'connected', `session state after healing: ${after.state}`);
      v.check(after.sessionId !== before.sessionId, 'the dead session was not replaced (same session id)');
      v.check([...states].some((s) => s !== 'connected'), `the gateway never noticed the dead session (states seen: ${[...states].join(', ')})`);
      if (reRead !== undefined) v.goneHits = b1.after(reRead + IN_FLIGHT_GRACE_MS);
      v.check(v.goneHits === 0, `${v.goneHits} requests reached the removed backend after the re-read`);
      v.note(`session timeout ${sessionTimeoutMs} ms, black hole ${Math.round(sessionTimeoutMs * 1.5) + 1000} ms; states seen ${[...states].join(' → ')}; reconnects ${String(before.reconnects)} → ${String(after.reconnects)}; by backend ${JSON.stringify(f.byBackend)}`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
