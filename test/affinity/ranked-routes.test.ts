import { expect } from 'chai';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways } from '../helpers/gateway.js';
import {
  hiveXml, get, adminPost, createSession, fanOut, tally, keepAliveAgent, sha256Hex, valueOf, pairOf, routesOf,
  uniqueTopology, HIVE_COOKIE, type Answer,
} from './affinity-kit.js';

async function backends(...names: string[]): Promise<TestBackend[]> {
  return Promise.all(names.map((n) => startBackend(n)));
}

/** Backend name by Knox route token (plain SHA-256 of the URL: no key file). */
function namesByToken(bs: readonly TestBackend[]): Map<string, string> {
  return new Map(bs.map((b) => [sha256Hex(b.url), b.name]));
}

function routeNames(answer: Answer, byToken: ReadonlyMap<string, string>): string[] {
  return routesOf(valueOf(answer.sticky ?? '')).map((t) => byToken.get(t) ?? `?${t}`);
}

describe('affinity: ranked routes (stickySessionRankedRoutes)', function () {
  this.timeout(60_000);
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('carries the primary and N-1 distinct backups in the cookie, primary first', async () => {
    const bs = await backends('b1', 'b2', 'b3', 'b4');
    const byToken = namesByToken(bs);
    const gw = await startTestGateway({ xml: { t: hiveXml(bs.map((b) => b.url), { stickySessionRankedRoutes: 3 }) } });
    for (let i = 0; i < 8; i++) {
      const first = await get(`${gw.base}/t/hive`);
      expect(first.sticky).to.match(new RegExp(`^${HIVE_COOKIE}=[0-9a-f]{64}\\.[0-9a-f]{64}\\.[0-9a-f]{64}; Path=/gateway/t; HttpOnly$`));
      const names = routeNames(first, byToken);
      expect(names[0]).to.equal(first.backend);
      expect(new Set(names).size).to.equal(3);
      expect(names.every((n) => !n.startsWith('?'))).to.equal(true);
    }
  });

  it('lands a session on its first backup when the primary dies, every time, on two independent gateway instances', async () => {
    const bs = await backends('b1', 'b2', 'b3', 'b4');
    const [b1] = bs as [TestBackend];
    const byToken = namesByToken(bs);
    const xml = hiveXml(bs.map((b) => b.url), { stickySessionRankedRoutes: 3 });
    const g1 = await startTestGateway({ xml: { t: xml } });
    const g2 = await startTestGateway({ xml: { t: xml } });
    // 12 sessions whose primary is b1: 6 issued by each instance (round robin over 4 backends).
    const issued: Answer[] = [];
    for (const gw of [g1, g2]) {
      for (let i = 0; i < 24; i++) {
        const a = await get(`${gw.base}/t/hive`);
        if (a.backend === 'b1') issued.push(a);
      }
    }
    expect(issued).to.have.length(12);
    await b1.kill();
    for (const first of issued) {
      const [primary, backup, third] = routeNames(first, byToken);
      expect(primary).to.equal('b1');
      const original = pairOf(first.sticky ?? '');
      // The original cookie, on either instance (neither shares state with the other).
      for (const gw of [g1, g2, g1, g2]) {
        const a = await get(`${gw.base}/t/hive`, { cookie: original });
        expect(a.status).to.equal(200);
        expect(a.backend, 'served by the first backup').to.equal(backup);
        expect(a.sticky, 'cookie re-issued with the backup first').to.be.a('string');
        expect(routeNames(a, byToken)).to.deep.equal([backup, 'b1', third]);
      }
      // The re-issued cookie, on either instance: stays on the backup and is not re-issued again.
      const session = createSession(original);
      await session.get(`${g2.base}/t/hive`);
      for (const gw of [g1, g2, g1]) {
        const a = await session.get(`${gw.base}/t/hive`);
        expect(a.backend).to.equal(backup);
        expect(a.sticky).to.equal(undefined);
      }
    }
  });

  it('spreads 1,200 sessions of a failed primary over the backups within 20 % of each other', async function () {
    // 3 backends, 2 ranked routes: each session of b1 has b2 or b3 as its backup, drawn per session.
    // Criterion (max - min) / max < 0.2 over 1,200 sessions: a fair draw fails it with p ≈ 1e-4.
    const bs = await backends('b1', 'b2', 'b3');
    const [b1] = bs as [TestBackend];
    const byToken = namesByToken(bs);
    const gw = await startTestGateway({ xml: { t: hiveXml(bs.map((b) => b.url), { stickySessionRankedRoutes: 2 }) } });
    const agent = keepAliveAgent(16);
    try {
      const fresh = await fanOut(3600, 16, () => get(`${gw.base}/t/hive`, { dispatcher: agent }));
      const ofB1 = fresh.filter((a) => a.backend === 'b1');
      expect(ofB1).to.have.length(1200);
      const planned = ofB1.map((a) => routeNames(a, byToken)[1] ?? '');
      await b1.kill();
      const landed = await fanOut(ofB1.length, 16, (i) => get(`${gw.base}/t/hive`, { cookie: pairOf(ofB1[i]?.sticky ?? ''), dispatcher: agent }));
      landed.forEach((a, i) => { expect(a.backend, `session ${i}`).to.equal(planned[i]); });
      const counts = tally(landed.map((a) => a.backend));
      const b2 = counts.get('b2') ?? 0;
      const b3 = counts.get('b3') ?? 0;
      expect(b2 + b3).to.equal(1200);
      expect((Math.max(b2, b3) - Math.min(b2, b3)) / Math.max(b2, b3), `b2=${b2} b3=${b3}`).to.be.below(0.2);
    } finally {
      await agent.close();
    }
  });

  it('lets a client reorder only among its own genuine routes: a signed cookie promoted to its draining backup goes there (documented limitation)', async () => {
    // The ranking is not signed (SPEC fixes the format: per-route tokens joined by '.'), so a client
    // can put its backup first. It cannot name a backend it was never assigned.
    const bs = await backends('b1', 'b2', 'b3');
    const topology = uniqueTopology('reorder');
    const gw = await startTestGateway({
      admin: true, stickyKeys: { keys: [Buffer.from('a-sixteen-byte-key!!')], acceptKnoxCookies: false },
      xml: { [topology]: hiveXml(bs.map((b) => b.url), { stickySessionRankedRoutes: 2 }) },
    });
    const url = `${gw.base}/${topology}/hive`;
    const first = await get(url); // routes [primary, backup], both genuine signed tokens
    const [p, b] = routesOf(valueOf(first.sticky ?? ''));
    const backupName = (await get(url, { cookie: `${HIVE_COOKIE}=${b ?? ''}` })).backend;
    const backup = bs.find((x) => x.name === backupName);
    if (backup === undefined) throw new Error('unknown backup');
    expect(backupName).to.not.equal(first.backend);
    expect((await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology, service: 'HIVE', url: backup.url })).status).to.equal(200);
    const reordered = await get(url, { cookie: `${HIVE_COOKIE}=${b ?? ''}.${p ?? ''}` });
    expect(reordered.backend, 'the reordered cookie\'s first route is a genuine (draining) route of this client').to.equal(backupName);
    // The genuine order still goes to the primary, and a token the client was never issued is ignored.
    expect((await get(url, { cookie: pairOf(first.sticky ?? '') })).backend).to.equal(first.backend);
    const forged = await get(url, { cookie: `${HIVE_COOKIE}=${sha256Hex(backup.url)}.${p ?? ''}` });
    expect(forged.backend, 'an unsigned token never routes').to.equal(first.backend);
  });

  describe('with noFallback', () => {
    it('fails over within the ranked list only, then answers 502 without touching other backends', async () => {
      const bs = await backends('b1', 'b2', 'b3', 'b4');
      const byToken = namesByToken(bs);
      const gw = await startTestGateway({ xml: { t: hiveXml(bs.map((b) => b.url), { stickySessionRankedRoutes: 2, noFallback: true }) } });
      const first = await get(`${gw.base}/t/hive`);
      const [primaryName, backupName] = routeNames(first, byToken);
      const primary = bs.find((b) => b.name === primaryName);
      const backup = bs.find((b) => b.name === backupName);
      if (primary === undefined || backup === undefined) throw new Error('cookie names unknown backends');
      const others = bs.filter((b) => b !== primary && b !== backup);
      const cookie = pairOf(first.sticky ?? '');

      await primary.kill();
      const onBackup = await get(`${gw.base}/t/hive`, { cookie });
      expect(onBackup.status).to.equal(200);
      expect(onBackup.backend).to.equal(backupName);

      await backup.kill();
      const seenBefore = others.map((b) => b.requests);
      for (const c of [cookie, pairOf(onBackup.sticky ?? '')]) {
        const refused = await get(`${gw.base}/t/hive`, { cookie: c });
        expect(refused.status).to.equal(502);
        expect(JSON.parse(refused.body)).to.deep.equal({ code: 'HAD_ERR_FAILOVER_DISABLED', message: 'Service connection error, HA failover disabled' });
      }
      expect(others.map((b) => b.requests), 'backends outside the ranked list').to.deep.equal(seenBefore);

      // Without the cookie there is no session to protect: normal failover to a live backend.
      const fresh = await get(`${gw.base}/t/hive`);
      expect(fresh.status).to.equal(200);
      expect(others.map((b) => b.name)).to.include(fresh.backend);
    });
  });
});
