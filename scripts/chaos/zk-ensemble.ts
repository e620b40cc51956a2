/**
 * Scenario 4: a 3-node ZooKeeper ensemble under load. The leader is SIGKILLed (no client-visible
 * error, the gateway keeps its session); then two members are killed (quorum lost: the last list
 * keeps serving); then everything is restored and changes made right after show up.
 */
import { randomBytes } from 'node:crypto';
import { Cleanup } from './_lib/cleanup.js';
import { startLoad, type LoadFigures } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, haXml } from './_lib/descriptors.js';
import { hold } from './_lib/procs.js';
import { adminClient, put, routedUrls, sessionOf, startTimedBackend, startZkServer, whenTrue, type ZkServer } from './_lib/zk.js';
import { IN_FLIGHT_GRACE_MS } from './zk-deregister.js';
import { Verdict, total } from './_lib/verdict.js';
import { freePort, fourLetter } from '../../test/helpers/zk-server.js';
import { startTestGateway } from '../../test/helpers/gateway.js';
import type { Scenario } from './_lib/types.js';

async function modeOf(zk: ZkServer): Promise<string> {
  return /Mode: (\w+)/.exec(await fourLetter(zk.port, 'srvr', 300))?.[1] ?? 'down';
}

async function leaderOf(servers: readonly ZkServer[], timeoutMs: number): Promise<ZkServer | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const s of servers) if (await modeOf(s) === 'leader') return s;
    await new Promise((r) => { setTimeout(r, 100); });
  }
  return undefined;
}

export const scenario: Scenario = {
  name: 'zk-ensemble',
  description: '3-node ensemble: leader killed, quorum lost, all restored',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    try {
      const ids = [1, 2, 3];
      const ports = await Promise.all(ids.map(async () => ({ client: await freePort(), quorum: await freePort(), election: await freePort() })));
      const lines = ports.map((p, i) => `server.${i + 1}=127.0.0.1:${p.quorum}:${p.election}`);
      const servers = await Promise.all(ids.map((id, i) => startZkServer({ port: ports[i]!.client, ensemble: { myid: id, servers: lines } })));
      for (const s of servers) c.add(() => s.destroy());
      const ensemble = servers.map((s) => s.connectString).join(',');
      const leader = await leaderOf(servers, 20000);
      if (!leader) throw new Error('no leader elected');
      const ns = `chaos${randomBytes(4).toString('hex')}`;
      const bs = await Promise.all(['b1', 'b2', 'b3', 'b4'].map((n) => startTimedBackend(n, c)));
      const [b1, b2, b3, b4] = bs as [typeof bs[0], typeof bs[0], typeof bs[0], typeof bs[0]];
      const admin = await adminClient(ensemble);
      for (const b of [b1, b2, b3]) await put(admin, `/${ns}/${b.backend.name}`, b.backend.url);
      await admin.close(200);
      const gw = await startTestGateway({
        xml: { [TOPOLOGY]: haXml([{ name: 'WHOAMI', attrs: { enableLoadBalancing: true, failoverSleep: 20, zookeeperEnsemble: ensemble, zookeeperNamespace: ns, zookeeperFormat: 'url' } }]) },
      });
      c.add(() => gw.close());
      v.check(await whenTrue(() => routedUrls(gw.gateway).length === 3, 15000) !== undefined, 'the gateway never saw the 3 backends');
      const session0 = sessionOf(gw.gateway);
      const load = startLoad({ url: gw.url + WHOAMI_PATH, amount: 1_000_000, connections: 8, maxMs: 150000 });
      c.add(() => load.stop());
      await hold(500);

      // 1. Leader killed.
      const killedAt = Date.now();
      await leader.stop('SIGKILL');
      const others = servers.filter((s) => s !== leader);
      const newLeader = await leaderOf(others, 20000);
      v.check(newLeader !== undefined, 'no new leader after killing the leader');
      const reconnected = await whenTrue(() => sessionOf(gw.gateway).state === 'connected', 20000);
      const session1 = sessionOf(gw.gateway);
      v.check(session1.sessionId === session0.sessionId, `the session was not kept across the leader change (${String(session0.sessionId)} → ${String(session1.sessionId)})`);
      v.note(`leader killed: new leader after ${newLeader ? Date.now() - killedAt : -1} ms, gateway session ${session1.state} (${reconnected !== undefined ? 'kept' : 'lost'})`);
      await leader.restart();
      await leaderOf(servers, 20000);

      // 2. Two members killed: no quorum; the last list keeps serving.
      const [k1, k2] = servers.slice(0, 2) as [ZkServer, ZkServer];
      await Promise.all([k1.stop('SIGKILL'), k2.stop('SIGKILL')]);
      const outage = quick ? 4000 : 15000;
      await hold(outage);
      const during = routedUrls(gw.gateway).length;
      v.check(during === 3, `without quorum the last list was not kept (${during} backends)`);

      // 3. All restored; changes made right away show up.
      await Promise.all([k1.restart(), k2.restart()]);
      const restoredAt = Date.now();
      await leaderOf(servers, 20000);
      const admin2 = await adminClient(ensemble);
      c.add(() => admin2.close(200));
      await admin2.remove(`/${ns}/b1`);
      await put(admin2, `/${ns}/b4`, b4.backend.url);
      const want = [b2, b3, b4].map((b) => b.backend.url).sort().join(' ');
      const seenAt = await whenTrue(() => routedUrls(gw.gateway).slice().sort().join(' ') === want, 30000);
      v.check(seenAt !== undefined, `changes after the restore did not show up: ${routedUrls(gw.gateway).join(', ')}`);
      if (seenAt !== undefined) v.recoverMs = seenAt - restoredAt;
      v.check(await whenTrue(() => b4.arrivals.length > 0, 5000) !== undefined, 'the backend registered after the restore got no traffic');
      await hold(300);
      load.stop();
      const f: LoadFigures = await load.done;
      v.sent += f.sent;
      const errors = { ...f.errors, lost: Math.max(0, (f.errors['lost'] ?? 0) - 8) };
      v.addErrors(errors);
      v.check(total(errors) === 0, `client-visible errors: ${JSON.stringify(f.errors)}`);
      if (seenAt !== undefined) v.goneHits = b1.after(seenAt + IN_FLIGHT_GRACE_MS);
      v.check(v.goneHits === 0, `${v.goneHits} requests reached the removed backend after the change showed up`);
      v.note(`quorum lost for ${outage} ms; session ${String(session0.sessionId)} → ${String(sessionOf(gw.gateway).sessionId)} at the end; by backend ${JSON.stringify(f.byBackend)}`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
