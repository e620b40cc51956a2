import { expect } from 'chai';
import { request } from 'undici';
import { eventually } from '../helpers/eventually.js';
import { startTestGateway, closeTestGateways, haXml, type TestGateway } from '../helpers/gateway.js';
import { requireZk, makeChroot, type Chroot } from '../discovery/zk-test-kit.js';

async function metrics(gw: TestGateway): Promise<string> {
  return (await request(`${gw.adminUrl ?? ''}/metrics`)).body.text();
}

function hiveOn(ensemble: string): string {
  return haXml([{ name: 'HIVE', attrs: { zookeeperEnsemble: ensemble, zookeeperNamespace: 'hiveserver2' } }]);
}

// Discovery owns hadispatch_zookeeper_session_connected; a scrape only reads it (it used to reset
// and rebuild it from the scraping gateway's sessions, wiping every other gateway's in the process).
describe('admin /metrics: hadispatch_zookeeper_session_connected', function () {
  this.timeout(30000);
  let zk: string;
  let chroots: Chroot[];

  before(function () { zk = requireZk(this); });
  beforeEach(async () => { chroots = [await makeChroot(zk), await makeChroot(zk)]; });
  afterEach(async () => {
    await closeTestGateways();
    for (const c of chroots) await c.cleanup();
  });

  it('shows 1 for every connected session, whichever gateway is scraped, and drops a closed one', async () => {
    const [c1, c2] = chroots as [Chroot, Chroot];
    const a = await startTestGateway({ admin: true, zkSessionTimeoutMs: 4000, xml: { t: hiveOn(c1.ensemble) } });
    const b = await startTestGateway({ admin: true, zkSessionTimeoutMs: 4000, xml: { t: hiveOn(c2.ensemble) } });
    const series = (ensemble: string, value: number): string => `hadispatch_zookeeper_session_connected{ensemble="${ensemble}"} ${value}`;
    await eventually(async () => {
      for (const gw of [a, b, a]) {
        const text = await metrics(gw);
        expect(text).to.include(series(c1.ensemble, 1));
        expect(text).to.include(series(c2.ensemble, 1));
      }
    }, 10000, 100);
    await b.close();
    const text = await metrics(a);
    expect(text).to.include(series(c1.ensemble, 1));
    expect(text).not.to.include(`hadispatch_zookeeper_session_connected{ensemble="${c2.ensemble}"}`);
  });
});
