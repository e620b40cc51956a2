import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { eventually } from '../helpers/eventually.js';
import { startTestGateway, closeTestGateways, haXml, type TestGateway } from '../helpers/gateway.js';
import { requireZk, makeChroot, put, type Chroot } from '../discovery/zk-test-kit.js';

/**
 * The value of hadispatch_backend_list_changes_total for one service in the admin's /metrics, or 0
 * when there is no sample. (The counter is process-wide: each test uses its own topology name.)
 */
async function listChanges(gw: TestGateway, topology: string, service: string): Promise<number> {
  const text = await (await request(`${gw.adminUrl ?? ''}/metrics`)).body.text();
  const line = text.split('\n').find((l) => l.startsWith(`hadispatch_backend_list_changes_total{topology="${topology}",service="${service}"} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function topologyName(): string {
  return `lc${randomBytes(4).toString('hex')}`;
}

// Regression (review): static services never counted their list, so a static-only gateway had no
// sample; the count must be one per list delivered to routing.
describe('hadispatch_backend_list_changes_total', function () {
  this.timeout(30000);
  let b1: TestBackend;
  let b2: TestBackend;

  beforeEach(async () => { b1 = await startBackend('b1'); b2 = await startBackend('b2'); });
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('counts a static service\'s list once at start, once per reload that changes its URLs, and not for other reloads', async () => {
    const t = topologyName();
    const gw = await startTestGateway({ admin: true, xml: { [t]: haXml([{ name: 'WHOAMI', urls: [b1.url] }]) } });
    expect(await listChanges(gw, t, 'WHOAMI')).to.equal(1);

    await gw.writeDescriptor(t, haXml([{ name: 'WHOAMI', urls: [b1.url, b2.url] }]));
    expect((await gw.gateway.reload()).changed).to.deep.equal([t]);
    expect(await listChanges(gw, t, 'WHOAMI')).to.equal(2);

    await gw.gateway.reload();
    expect(await listChanges(gw, t, 'WHOAMI')).to.equal(2);
    // Another attribute changes, the URLs do not: the service is rebuilt on the same list.
    await gw.writeDescriptor(t, haXml([{ name: 'WHOAMI', urls: [b1.url, b2.url], attrs: { enableLoadBalancing: true } }]));
    expect((await gw.gateway.reload()).changed).to.deep.equal([t]);
    expect(await listChanges(gw, t, 'WHOAMI')).to.equal(2);
  });

  describe('with a ZooKeeper service', () => {
    let zk: string;
    let chroot: Chroot;

    before(function () { zk = requireZk(this); });
    beforeEach(async () => { chroot = await makeChroot(zk); await chroot.zk.mkdirp('/svc'); });
    afterEach(async () => { await closeTestGateways(); await chroot.cleanup(); });

    it('counts its first list once and each change once', async () => {
      const t = topologyName();
      const gw = await startTestGateway({
        admin: true, zkSessionTimeoutMs: 4000,
        xml: { [t]: haXml([{ name: 'WHOAMI', attrs: { zookeeperEnsemble: chroot.ensemble, zookeeperNamespace: 'svc', zookeeperFormat: 'url' } }]) },
      });
      await eventually(async () => expect((await request(`${gw.adminUrl ?? ''}/ready`)).statusCode).to.equal(200), 10000);
      expect(await listChanges(gw, t, 'WHOAMI')).to.equal(1);

      await put(chroot.zk, '/svc/a', b1.url);
      await eventually(async () => expect(await (await request(`${gw.base}/${t}/whoami`)).body.text()).to.equal('b1'), 10000);
      expect(await listChanges(gw, t, 'WHOAMI')).to.equal(2);

      await put(chroot.zk, '/svc/b', b2.url);
      // Both increments of a change would land at once (2 → 4): reaching exactly 3 shows one per change.
      await eventually(async () => expect(await listChanges(gw, t, 'WHOAMI')).to.equal(3), 10000);
    });
  });
});
