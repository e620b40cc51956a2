import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { makeServiceConfig } from '../../lib/descriptor/index.js';
import { createDiscovery, createRegistration, type Discovery, type BackendSource } from '../../lib/discovery/index.js';
import { zkReconnectsTotal } from '../../lib/core/index.js';
import { eventually } from '../helpers/eventually.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { fourLetter, startZkServer, type ZkServer } from '../helpers/zk-server.js';
import { adminClient, put, requireZk } from './zk-test-kit.js';

const OPTS = { sessionTimeoutMs: 2000, connectTimeoutMs: 1000, callTimeoutMs: 1000, backoff: { baseMs: 50, maxMs: 400 } };
const urlsOf = (s: BackendSource): string[] | undefined => s.current()?.backends.map((b) => b.url);

async function reconnects(ensemble: string, cause: string): Promise<number> {
  const m = await zkReconnectsTotal.get();
  return m.values.filter((v) => v.labels['ensemble'] === ensemble && v.labels['cause'] === cause).reduce((a, v) => a + v.value, 0);
}

describe('ZooKeeper discovery: expiry, outage and black hole (own server)', function () {
  this.timeout(30000);
  let zk: ZkServer;
  let discovery: Discovery;
  let ns: string;

  before(async function () { requireZk(this); zk = await startZkServer(); });
  after(async () => { await zk?.destroy(); });
  beforeEach(() => { discovery = createDiscovery(OPTS); ns = `svc${randomBytes(4).toString('hex')}`; });
  afterEach(async () => { await discovery.close(); });

  const source = (ensemble: string): BackendSource =>
    discovery.source('t', makeServiceConfig({ name: 'SVC', zookeeperEnsemble: ensemble, zookeeperNamespace: ns, zookeeperFormat: 'url' }));

  it('recovers from a session expiry (proxy cut past the session timeout): EXPIRED, new session, watches re-armed, register re-creates its znode', async () => {
    const proxy = await startTcpProxy(zk.port);
    const admin = await adminClient(zk.connectString);
    try {
      await put(admin, `/${ns}/a`, 'http://a:1');
      const reg = createRegistration({ ...OPTS, ensemble: proxy.connectString, namespace: ns, format: 'url', url: 'http://reg:1' });
      const regPath = await reg.ready;
      const s = source(proxy.connectString);
      await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://reg:1']));
      const before = discovery.sessions()[0]!.sessionId;

      proxy.cut();
      // The server expires both sessions: the registration's ephemeral znode goes, and so do the
      // discovery session's watches (wchc lists sessions with watches). The list stays in force meanwhile.
      const watcher = `0x${BigInt(`0x${before}`).toString(16)}`;
      await eventually(async () => expect(await admin.exists(regPath)).to.equal(undefined), 8000);
      await eventually(async () => expect(await fourLetter(zk.port, 'wchc')).not.to.include(watcher), 8000);
      expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://reg:1']);
      proxy.heal();
      await eventually(async () => expect(await reconnects(proxy.connectString, 'expired')).to.be.at.least(2), 8000);
      await eventually(() => expect(discovery.sessions()[0]!).to.include({ state: 'connected' }).and.not.include({ sessionId: before }), 8000);
      await eventually(() => expect(reg.path()).to.be.a('string').and.not.equal(regPath), 8000);
      await eventually(() => expect(s.current()?.backends.map((b) => b.znode)).to.deep.equal([`/${ns}/a`, reg.path()]), 8000);

      await put(admin, `/${ns}/b`, 'http://b:1');
      await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://b:1', 'http://reg:1']));
      await reg.close();
      await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://b:1']));
    } finally {
      await admin.close(100);
      await proxy.close();
    }
  });

  it('recovers when the server restarts on a wiped dataDir (it refuses the old session\'s zxid)', async () => {
    const admin = await adminClient(zk.connectString);
    await put(admin, `/${ns}/a`, 'http://a:1');
    await admin.close(100);
    const s = source(zk.connectString);
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1']));
    const before = discovery.sessions()[0]!.sessionId;

    await zk.restart({ wipe: true });
    await eventually(() => expect(urlsOf(s)).to.deep.equal([]), 10000);
    expect(discovery.sessions()[0]!.sessionId).not.to.equal(before);
    const admin2 = await adminClient(zk.connectString);
    await put(admin2, `/${ns}/b`, 'http://b:1');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://b:1']));
    await admin2.close(100);
  });

  it('keeps serving the last list while ZooKeeper is down for longer than the session timeout, then resumes', async () => {
    const admin = await adminClient(zk.connectString);
    await put(admin, `/${ns}/a`, 'http://a:1');
    await admin.close(100);
    const s = source(zk.connectString);
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1']));
    const r0 = discovery.sessions()[0]!.reconnects;

    await zk.stop();
    await eventually(() => expect(discovery.sessions()[0]!.state).not.to.equal('connected'));
    // Past the session timeout the client is replaced and reconnects with back-off, several times.
    await eventually(() => expect(discovery.sessions()[0]!.reconnects).to.be.at.least(r0 + 3), 10000);
    expect(urlsOf(s)).to.deep.equal(['http://a:1']);
    expect(s.current()?.origin).to.equal('zookeeper');

    await zk.restart();
    await eventually(() => expect(discovery.sessions()[0]!.state).to.equal('connected'), 10000);
    const admin2 = await adminClient(zk.connectString);
    await put(admin2, `/${ns}/b`, 'http://b:1');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://b:1']));
    await admin2.close(100);
  });

  it('detects a black-holed connection with the watchdog and replaces the client', async () => {
    const proxy: TcpProxy = await startTcpProxy(zk.port);
    try {
      const admin = await adminClient(zk.connectString);
      await put(admin, `/${ns}/a`, 'http://a:1');
      const s = source(proxy.connectString);
      await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1']));
      const before = discovery.sessions()[0]!.sessionId;

      proxy.blackhole();
      proxy.heal(); // the old connection stays dead; new ones get through
      await eventually(async () => expect(await reconnects(proxy.connectString, 'watchdog')).to.be.at.least(1), 6000);
      expect(urlsOf(s)).to.deep.equal(['http://a:1']);
      await eventually(() => {
        const st = discovery.sessions()[0]!;
        expect(st.state).to.equal('connected');
        expect(st.sessionId).not.to.equal(before);
      }, 6000);
      await put(admin, `/${ns}/b`, 'http://b:1');
      await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://b:1']));
      await admin.close(100);
    } finally {
      await proxy.close();
    }
  });
});
