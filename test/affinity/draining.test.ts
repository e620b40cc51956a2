import { expect } from 'chai';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways, type TestGateway } from '../helpers/gateway.js';
import type { BackendsReport } from '../../lib/admin/index.js';
import {
  hiveXml, get, adminPost, adminJson, scrape, sample, sha256Hex, valueOf, pairOf, routesOf, tally, uniqueTopology, HIVE_COOKIE,
} from './affinity-kit.js';

async function three(): Promise<[TestBackend, TestBackend, TestBackend]> {
  return [await startBackend('b1'), await startBackend('b2'), await startBackend('b3')];
}

async function backendsOf(gw: TestGateway, topology: string): Promise<BackendsReport['topologies'][number]['services'][number]['backends']> {
  const report = await adminJson<BackendsReport>(gw.adminUrl ?? '', '/backends');
  return report.topologies.find((t) => t.name === topology)?.services[0]?.backends ?? [];
}

describe('affinity: draining a backend', () => {
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('gives a draining backend no new sessions while its sessions keep arriving; /backends and /metrics show it; undrain restores', async () => {
    const [b1, b2, b3] = await three();
    const topology = uniqueTopology('drain');
    const gw = await startTestGateway({ admin: true, xml: { [topology]: hiveXml([b1.url, b2.url, b3.url]) } });
    const admin = gw.adminUrl ?? '';
    const url = `${gw.base}/${topology}/hive`;
    const sessions = new Map<string, string>();
    for (let i = 0; i < 3; i++) {
      const a = await get(url);
      sessions.set(a.backend, pairOf(a.sticky ?? ''));
    }
    expect([...sessions.keys()].sort()).to.deep.equal(['b1', 'b2', 'b3']);

    const drained = await adminPost(admin, '/backends/drain', { topology, service: 'HIVE', url: b2.url });
    expect(drained.status).to.equal(200);

    // New sessions: never b2, and round robin carries on over the other two.
    const fresh: string[] = [];
    for (let i = 0; i < 20; i++) {
      const a = await get(url);
      fresh.push(a.backend);
      expect(a.sticky, 'a new session gets a cookie').to.be.a('string');
    }
    expect(Object.fromEntries(tally(fresh))).to.deep.equal({ b1: 10, b3: 10 });

    // Existing sessions of b2 keep arriving there, and their cookie is not rewritten.
    for (let i = 0; i < 5; i++) {
      const a = await get(url, { cookie: sessions.get('b2') ?? '' });
      expect(a.backend).to.equal('b2');
      expect(a.sticky).to.equal(undefined);
    }
    // Other sessions are untouched.
    expect((await get(url, { cookie: sessions.get('b1') ?? '' })).backend).to.equal('b1');

    const report = await backendsOf(gw, topology);
    expect(report.map((b) => [b.url, b.state])).to.deep.equal([[b1.url, 'up'], [b2.url, 'draining'], [b3.url, 'up']]);
    expect(report[1]?.drainingSessions, 'sticky requests that still reached b2').to.equal(5);

    const metrics = await scrape(admin);
    expect(sample(metrics, 'hadispatch_backends', { topology, service: 'HIVE', state: 'draining' })).to.equal(1);
    expect(sample(metrics, 'hadispatch_backends', { topology, service: 'HIVE', state: 'up' })).to.equal(2);

    const undrained = await adminPost(admin, '/backends/undrain', { topology, service: 'HIVE', url: b2.url });
    expect(undrained.status).to.equal(200);
    const after: string[] = [];
    for (let i = 0; i < 6; i++) after.push((await get(url)).backend);
    expect(Object.fromEntries(tally(after))).to.deep.equal({ b1: 2, b2: 2, b3: 2 });
    expect((await backendsOf(gw, topology)).map((b) => b.state)).to.deep.equal(['up', 'up', 'up']);
    const metricsAfter = await scrape(admin);
    expect(sample(metricsAfter, 'hadispatch_backends', { topology, service: 'HIVE', state: 'draining' })).to.equal(0);
  });

  // Review finding: `descriptor set … failoverSleep=10` on a service undrained its drained backend.
  it('keeps a backend draining across a reload that changes the service but not its backends', async () => {
    const [b1, b2, b3] = await three();
    const topology = uniqueTopology('drain-reload');
    const gw = await startTestGateway({ admin: true, watchDescriptors: false, xml: { [topology]: hiveXml([b1.url, b2.url, b3.url]) } });
    expect((await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology, service: 'HIVE', url: b2.url })).status).to.equal(200);
    await gw.writeDescriptor(topology, hiveXml([b1.url, b2.url, b3.url], { failoverSleep: 10 }));
    const result = await gw.gateway.reload();
    expect(result.changed).to.deep.equal([topology]);
    expect((await backendsOf(gw, topology)).map((b) => b.state)).to.deep.equal(['up', 'draining', 'up']);
    const fresh: string[] = [];
    for (let i = 0; i < 6; i++) fresh.push((await get(`${gw.base}/${topology}/hive`)).backend);
    expect(fresh).not.to.include('b2');
  });

  it('keeps a backend draining across a reload that changes the backend list, as long as it stays listed', async () => {
    const [b1, b2, b3] = await three();
    const topology = uniqueTopology('drain-relist');
    const gw = await startTestGateway({ admin: true, watchDescriptors: false, xml: { [topology]: hiveXml([b1.url, b2.url]) } });
    expect((await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology, service: 'HIVE', url: b2.url })).status).to.equal(200);
    await gw.writeDescriptor(topology, hiveXml([b1.url, b2.url, b3.url]));
    await gw.gateway.reload();
    expect((await backendsOf(gw, topology)).map((b) => [b.url, b.state])).to.deep.equal([[b1.url, 'up'], [b2.url, 'draining'], [b3.url, 'up']]);
  });

  it('never names a draining backend as a backup in new ranked cookies', async () => {
    const bs = await Promise.all(['b1', 'b2', 'b3', 'b4'].map((n) => startBackend(n)));
    const [, b2] = bs as [TestBackend, TestBackend];
    const topology = uniqueTopology('drainrank');
    const gw = await startTestGateway({ admin: true, xml: { [topology]: hiveXml(bs.map((b) => b.url), { stickySessionRankedRoutes: 3 }) } });
    expect((await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology, service: 'HIVE', url: b2.url })).status).to.equal(200);
    const drainedToken = sha256Hex(b2.url);
    for (let i = 0; i < 12; i++) {
      const a = await get(`${gw.base}/${topology}/hive`);
      expect(a.backend).to.not.equal('b2');
      const routes = routesOf(valueOf(a.sticky ?? ''));
      expect(routes).to.have.length(3);
      expect(routes).to.not.include(drainedToken);
    }
  });

  it('counts a session that leaves a drained backend as re-assigned with cause "drained"', async () => {
    const [b1, b2, b3] = await three();
    const topology = uniqueTopology('drainedcause');
    const gw = await startTestGateway({ admin: true, xml: { [topology]: hiveXml([b1.url, b2.url, b3.url]) } });
    const url = `${gw.base}/${topology}/hive`;
    await get(url);
    const onB2 = await get(url);
    expect(onB2.backend).to.equal('b2');
    expect((await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology, service: 'HIVE', url: b2.url })).status).to.equal(200);
    await b2.kill(); // the operator stops the drained backend: its remaining sessions move
    const moved = await get(url, { cookie: pairOf(onB2.sticky ?? '') });
    expect(moved.backend).to.be.oneOf(['b1', 'b3']);
    const text = await scrape(gw.adminUrl ?? '');
    expect(sample(text, 'hadispatch_sticky_reassignments_total', { topology, service: 'HIVE', cause: 'drained' })).to.equal(1);
    expect(sample(text, 'hadispatch_sticky_reassignments_total', { topology, service: 'HIVE', cause: 'primary_down' })).to.equal(0);
  });

  it('counts sticky requests reaching a draining backend in hadispatch_draining_sessions_total', async () => {
    const [b1, b2, b3] = await three();
    const topology = uniqueTopology('drainsess');
    const gw = await startTestGateway({ admin: true, xml: { [topology]: hiveXml([b1.url, b2.url, b3.url]) } });
    const url = `${gw.base}/${topology}/hive`;
    await get(url);
    const onB2 = await get(url);
    expect((await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology, service: 'HIVE', url: b2.url })).status).to.equal(200);
    for (let i = 0; i < 3; i++) expect((await get(url, { cookie: pairOf(onB2.sticky ?? '') })).backend).to.equal('b2');
    const text = await scrape(gw.adminUrl ?? '');
    expect(sample(text, 'hadispatch_draining_sessions_total', { topology, service: 'HIVE', backend: b2.url })).to.equal(3);
  });

  it('does not hand a failed primary\'s session to a draining backup while an eligible backend is up', async () => {
    const bs = await Promise.all(['b1', 'b2', 'b3'].map((n) => startBackend(n)));
    const topology = uniqueTopology('drainbackup');
    const gw = await startTestGateway({ admin: true, xml: { [topology]: hiveXml(bs.map((b) => b.url), { stickySessionRankedRoutes: 2 }) } });
    const url = `${gw.base}/${topology}/hive`;
    const byToken = new Map(bs.map((b) => [sha256Hex(b.url), b]));
    const first = await get(url);
    const [primary, backup] = routesOf(valueOf(first.sticky ?? '')).map((t) => byToken.get(t));
    if (primary === undefined || backup === undefined) throw new Error('unknown routes');
    expect((await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology, service: 'HIVE', url: backup.url })).status).to.equal(200);
    await primary.kill();
    const moved = await get(url, { cookie: pairOf(first.sticky ?? '') });
    expect(moved.backend, 'a draining backend gets no new sessions (SPEC §4)').to.not.equal(backup.name);
  });

  it('keeps a ranked session on its draining primary', async () => {
    const [b1, b2, b3] = await three();
    const topology = uniqueTopology('drainprim');
    const gw = await startTestGateway({ admin: true, xml: { [topology]: hiveXml([b1.url, b2.url, b3.url], { stickySessionRankedRoutes: 2 }) } });
    let cookie: string | undefined;
    for (let i = 0; i < 3 && cookie === undefined; i++) {
      const a = await get(`${gw.base}/${topology}/hive`);
      if (a.backend === 'b2') cookie = pairOf(a.sticky ?? '');
    }
    expect(cookie).to.match(new RegExp(`^${HIVE_COOKIE}=`));
    expect((await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology, service: 'HIVE', url: b2.url })).status).to.equal(200);
    for (let i = 0; i < 3; i++) {
      const a = await get(`${gw.base}/${topology}/hive`, { cookie: cookie ?? '' });
      expect(a.backend).to.equal('b2');
      expect(a.sticky).to.equal(undefined);
    }
  });
});
