import { expect } from 'chai';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways } from '../helpers/gateway.js';
import { hiveXml, get, scrape, sample, pairOf, uniqueTopology, HIVE_COOKIE } from './affinity-kit.js';

describe('affinity: sticky metrics on GET /metrics', () => {
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('counts hits, misses, re-assignments by cause and backup takeovers', async () => {
    const bs: TestBackend[] = [await startBackend('b1'), await startBackend('b2'), await startBackend('b3')];
    // A topology of its own: the metrics registry is process-wide.
    const topology = uniqueTopology('metrics');
    const gw = await startTestGateway({ admin: true, xml: { [topology]: hiveXml(bs.map((b) => b.url), { stickySessionRankedRoutes: 2 }) } });
    const url = `${gw.base}/${topology}/hive`;
    const labels = { topology, service: 'HIVE' };
    const read = async (): Promise<Record<string, number>> => {
      const text = await scrape(gw.adminUrl ?? '');
      const n = (name: string, extra: Record<string, string> = {}): number => sample(text, name, { ...labels, ...extra });
      return {
        hit: n('hadispatch_sticky_total', { outcome: 'hit' }),
        miss: n('hadispatch_sticky_total', { outcome: 'miss' }),
        moved: n('hadispatch_sticky_total', { outcome: 'moved' }),
        primaryDown: n('hadispatch_sticky_reassignments_total', { cause: 'primary_down' }),
        cookieInvalid: n('hadispatch_sticky_reassignments_total', { cause: 'cookie_invalid' }),
        backendGone: n('hadispatch_sticky_reassignments_total', { cause: 'backend_gone' }),
        drained: n('hadispatch_sticky_reassignments_total', { cause: 'drained' }),
        takeovers: n('hadispatch_sticky_backup_takeovers_total'),
      };
    };
    const zero = { hit: 0, miss: 0, moved: 0, primaryDown: 0, cookieInvalid: 0, backendGone: 0, drained: 0, takeovers: 0 };
    expect(await read()).to.deep.equal(zero);

    const first = await get(url); // a new session: miss
    const cookie = pairOf(first.sticky ?? '');
    await get(url, { cookie }); // hit
    await get(url, { cookie }); // hit
    expect(await read()).to.deep.equal({ ...zero, miss: 1, hit: 2 });

    await get(url, { cookie: `${HIVE_COOKIE}=not-a-route-token` }); // garbage: miss + cookie_invalid
    await get(url, { cookie: `${HIVE_COOKIE}=${'ab'.repeat(32)}` }); // well-formed, names no backend: miss + backend_gone
    expect(await read()).to.deep.equal({ ...zero, miss: 3, hit: 2, cookieInvalid: 1, backendGone: 1 });

    await bs.find((b) => b.name === first.backend)?.kill();
    const takeover = await get(url, { cookie }); // primary down: the backup takes over
    expect(takeover.backend).to.not.equal(first.backend);
    await get(url, { cookie }); // again with the old cookie (the primary is now cooling down)
    await get(url, { cookie: pairOf(takeover.sticky ?? '') }); // the re-issued cookie: a hit on the backup
    expect(await read()).to.deep.equal({ ...zero, miss: 3, hit: 3, moved: 2, primaryDown: 2, takeovers: 2, cookieInvalid: 1, backendGone: 1 });
  });
});
