import { expect } from 'chai';
import { Agent } from 'undici';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways, type TestGateway } from '../helpers/gateway.js';
import { hiveXml, get, fanOut, keepAliveAgent, tally, ODBC_UA } from './affinity-kit.js';

async function five(): Promise<TestBackend[]> {
  return Promise.all(['b1', 'b2', 'b3', 'b4', 'b5'].map((n) => startBackend(n)));
}

/** The backend each client lands on through `gw`, by client index. */
type Placement = readonly string[];

/** Clients that moved between two placements, by index. */
function moved(before: Placement, after: Placement): number[] {
  return before.flatMap((b, i) => (after[i] === b ? [] : [i]));
}

describe('affinity: cookieless clients (cookielessAffinity)', function () {
  this.timeout(60_000);
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  describe('client-ip', () => {
    // 40 distinct client addresses: the whole 127.0.0.0/8 is loopback on Linux. undici takes
    // `localAddress` as an Agent option (inside `connect` it is overridden).
    const CLIENTS = 40;
    let agents: Agent[] = [];
    beforeEach(() => {
      agents = Array.from({ length: CLIENTS }, (_, i) => new Agent({ localAddress: `127.0.0.${10 + i}`, keepAliveTimeout: 10_000 }));
    });
    afterEach(async () => { await Promise.all(agents.map((a) => a.close())); });

    async function place(gw: TestGateway): Promise<Placement> {
      return fanOut(CLIENTS, 8, async (i) => {
        const agent = agents[i];
        if (agent === undefined) throw new Error(`no agent for client ${i}`);
        const a = await get(`${gw.base}/t/hive`, { headers: { 'user-agent': ODBC_UA }, dispatcher: agent });
        expect(a.status).to.equal(200);
        expect(a.setCookies, 'no sticky cookie for a cookieless client').to.deep.equal([]);
        expect(bsSeen(a.backend)).to.equal(true);
        return a.backend;
      });
    }
    const bsSeen = (name: string): boolean => /^b[1-5]$/.test(name);

    it('keeps each client address on one backend, agreed by two gateway instances, and moves only the clients of a backend that dies', async () => {
      const bs = await five();
      const xml = hiveXml(bs.map((b) => b.url), { cookielessAffinity: 'client-ip' });
      const g1 = await startTestGateway({ xml: { t: xml } });
      const g2 = await startTestGateway({ xml: { t: xml } });
      const first = await place(g1);
      expect(await place(g1), 'stable on one instance').to.deep.equal(first);
      expect(await place(g2), 'the other instance agrees').to.deep.equal(first);
      const counts = tally(first);
      expect(counts.size, `spread: ${JSON.stringify(Object.fromEntries(counts))}`).to.be.at.least(3);

      // The backend with the most clients dies (no list change: passive health takes it out).
      const [victim] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
      await bs.find((b) => b.name === victim)?.kill();
      const after1 = await place(g1);
      const after2 = await place(g2);
      expect(after2, 'both instances agree after the change').to.deep.equal(after1);
      const movedClients = moved(first, after1);
      expect(movedClients.map((i) => first[i]), 'only the dead backend\'s clients move').to.deep.equal(movedClients.map(() => victim));
      expect(movedClients).to.have.length(counts.get(victim) ?? -1);
      expect(after1.includes(victim)).to.equal(false);
    });
  });

  describe('header:X-Client-Id', () => {
    const CLIENTS = 600;

    async function place(gw: TestGateway, agent: Agent): Promise<Placement> {
      return fanOut(CLIENTS, 16, async (i) => {
        const a = await get(`${gw.base}/t/hive`, { headers: { 'user-agent': ODBC_UA, 'x-client-id': `client-${i}` }, dispatcher: agent });
        expect(a.status).to.equal(200);
        return a.backend;
      });
    }

    it('spreads 600 clients evenly, agrees across two instances, and moves only the clients of the backend that leaves the list', async () => {
      const bs = await five();
      const attrs = { cookielessAffinity: 'header:X-Client-Id' };
      const xml = hiveXml(bs.map((b) => b.url), attrs);
      const g1 = await startTestGateway({ xml: { t: xml } });
      const g2 = await startTestGateway({ xml: { t: xml } });
      const agent = keepAliveAgent(16);
      try {
        const before = await place(g1, agent);
        expect(await place(g2, agent), 'the other instance agrees').to.deep.equal(before);
        const counts = tally(before);
        // 120 expected per backend; ±50 is more than 4 standard deviations.
        for (const b of bs) expect(counts.get(b.name) ?? 0, `${b.name}: ${JSON.stringify(Object.fromEntries(counts))}`).to.be.within(70, 170);

        // b3 leaves the backend list (descriptor reload on both instances).
        const remaining = bs.filter((b) => b.name !== 'b3');
        for (const gw of [g1, g2]) {
          await gw.writeDescriptor('t', hiveXml(remaining.map((b) => b.url), attrs));
          const r = await gw.gateway.reload();
          expect(r.failures).to.deep.equal([]);
        }
        const after = await place(g1, agent);
        expect(await place(g2, agent), 'both instances agree after the change').to.deep.equal(after);
        const movedClients = moved(before, after);
        expect(movedClients.filter((i) => before[i] !== 'b3'), 'clients of surviving backends that moved').to.deep.equal([]);
        expect(movedClients).to.have.length(counts.get('b3') ?? -1);
        // b3's clients spread over all four survivors rather than piling onto one.
        const takeover = tally(movedClients.map((i) => after[i] ?? ''));
        expect([...takeover.keys()].sort()).to.deep.equal(['b1', 'b2', 'b4', 'b5']);
      } finally {
        await agent.close();
      }
    });

    it('falls back to the client address when the header is missing', async () => {
      const bs = await five();
      const gw = await startTestGateway({ xml: { t: hiveXml(bs.map((b) => b.url), { cookielessAffinity: 'header:X-Client-Id' }) } });
      const seen = new Set<string>();
      for (let i = 0; i < 10; i++) seen.add((await get(`${gw.base}/t/hive`, { headers: { 'user-agent': ODBC_UA } })).backend);
      expect(seen.size).to.equal(1);
    });
  });
});
