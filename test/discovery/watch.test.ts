import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeServiceConfig } from '../../lib/descriptor/index.js';
import { createDiscovery, resolveOnce, type Discovery, type BackendSource } from '../../lib/discovery/index.js';
import Transport from 'winston-transport';
import { addLogTransport, backendListChangesTotal, setLogSilent, type Snapshot } from '../../lib/core/index.js';
import { eventually } from '../helpers/eventually.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { makeChroot, put, requireZk, type Chroot } from './zk-test-kit.js';

const OPTS = { sessionTimeoutMs: 4000, connectTimeoutMs: 1500, callTimeoutMs: 1500, backoff: { baseMs: 50, maxMs: 300 } };
const urlsOf = (s: BackendSource): string[] | undefined => s.current()?.backends.map((b) => b.url);

describe('ZooKeeper discovery: watches, sharing, chroot, state dir', function () {
  let server: string;
  let chroot: Chroot;
  let discovery: Discovery;

  before(function () { server = requireZk(this); });
  beforeEach(async () => { chroot = await makeChroot(server); discovery = createDiscovery(OPTS); });
  afterEach(async () => { await discovery.close(); await chroot.cleanup(); });

  const svc = (name: string, namespace: string, ensemble = chroot.ensemble) =>
    makeServiceConfig({ name, zookeeperEnsemble: ensemble, zookeeperNamespace: namespace, zookeeperFormat: 'url' });

  // Regression: remove() rejected with no-node although a missing znode is documented as no error
  // (a registration closing after its znode had gone logged a spurious removal failure).
  it('removes a znode that is already gone without an error', async () => {
    await put(chroot.zk, '/gone', 'x');
    await chroot.zk.remove('/gone');
    expect(await chroot.zk.remove('/gone')).to.equal(undefined);
    expect(await chroot.zk.exists('/gone')).to.equal(undefined);
  });

  it('reflects added, changed and removed znodes without any request, as whole frozen snapshots', async () => {
    const s = discovery.source('t', svc('SVC', 'svc'));
    const seen: Snapshot[] = [];
    s.subscribe((snap) => seen.push(snap));
    await eventually(() => expect(urlsOf(s)).to.deep.equal([]));
    await put(chroot.zk, '/svc/b', 'http://b:1');
    await put(chroot.zk, '/svc/a', 'http://a:1');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://b:1']));
    await chroot.zk.setData('/svc/a', Buffer.from('http://a2:1'));
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a2:1', 'http://b:1']));
    await chroot.zk.remove('/svc/b');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a2:1']));
    const snap = s.current()!;
    expect(Object.isFrozen(snap) && Object.isFrozen(snap.backends) && Object.isFrozen(snap.backends[0])).to.equal(true);
    expect(seen.at(-1)).to.equal(snap);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.backends).not.to.deep.equal(seen[i - 1]!.backends);
  });

  it('drops identical lists: a data write that keeps the URL notifies nobody', async () => {
    await put(chroot.zk, '/svc/a', 'http://a:1');
    const s = discovery.source('t', svc('SVC', 'svc'));
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1']));
    let calls = 0;
    s.subscribe(() => { calls++; });
    await chroot.zk.setData('/svc/a', Buffer.from('http://a:1'));
    await put(chroot.zk, '/svc/z', 'http://z:1');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://z:1']));
    expect(calls).to.equal(1);
  });

  // Regression: discovery and the gateway both counted each change. The gateway owns the metric
  // ("changes delivered to routing", static lists included); discovery only delivers.
  it('leaves hadispatch_backend_list_changes_total to the gateway', async () => {
    const topology = `count-${chroot.path.slice(1)}`;
    const s = discovery.source(topology, svc('SVC', 'svc'));
    await put(chroot.zk, '/svc/a', 'http://a:1');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1']));
    await put(chroot.zk, '/svc/b', 'http://b:1');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1', 'http://b:1']));
    const counted = (await backendListChangesTotal.get()).values.filter((v) => v.labels['topology'] === topology);
    expect(counted.reduce((a, v) => a + v.value, 0)).to.equal(0);
  });

  it('warns once per bad child naming its znode, not again on every refresh', async () => {
    const lines: Record<string, unknown>[] = [];
    const transport = new (class extends Transport {
      override log(info: Record<string, unknown>, next: () => void): void { if (info['message'] === 'znode skipped') lines.push(info); next(); }
    })();
    const detach = addLogTransport(transport);
    try {
      await put(chroot.zk, '/svc/bad', 'garbage');
      await put(chroot.zk, '/svc/a', 'http://a:1');
      const s = discovery.source('t', svc('SVC', 'svc'));
      await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1']));
      for (let i = 0; i < 5; i++) {
        await put(chroot.zk, `/svc/c${i}`, `http://c${i}:1`);
        await eventually(() => expect(urlsOf(s)).to.include(`http://c${i}:1`));
      }
      await chroot.zk.setData('/svc/a', Buffer.from('http://a2:1'));
      await eventually(() => expect(urlsOf(s)).to.include('http://a2:1'));
      await put(chroot.zk, '/svc/worse', 'ftp://x:1');
      await eventually(() => expect(lines).to.have.length(2));
      await chroot.zk.remove('/svc/c0');
      await eventually(() => expect(urlsOf(s)).not.to.include('http://c0:1'));
      const expected = ['znode /svc/bad: not an absolute URL: "garbage"; skipped', 'znode /svc/worse: expected an http or https URL, got "ftp://x:1"; skipped'];
      expect(lines.map((l) => l['warning'])).to.deep.equal(expected);
      // Regression: the line carried no error code.
      expect(lines.map((l) => l['code'])).to.deep.equal(['HAD_ERR_ZK_DATA_INVALID', 'HAD_ERR_ZK_DATA_INVALID']);
      const d = s.describe();
      expect(d.kind === 'zookeeper' && d.warnings).to.deep.equal(expected);
    } finally {
      detach();
      setLogSilent(process.env['LOG_LEVEL'] === undefined);
    }
  });

  it('two services on one ensemble share one session; it closes with the last source', async () => {
    await put(chroot.zk, '/one/a', 'http://one:1');
    await put(chroot.zk, '/two/a', 'http://two:1');
    const s1 = discovery.source('t', svc('ONE', 'one'));
    const s2 = discovery.source('u', svc('TWO', 'two'));
    await eventually(() => { expect(urlsOf(s1)).to.deep.equal(['http://one:1']); expect(urlsOf(s2)).to.deep.equal(['http://two:1']); });
    const sessions = discovery.sessions();
    expect(sessions).to.have.length(1);
    expect(sessions[0]).to.include({ ensemble: chroot.ensemble, state: 'connected', sources: 2, reconnects: 0 });
    expect(sessions[0]!.sessionId).to.match(/^[0-9a-f]{16}$/);
    await s1.close();
    expect(discovery.sessions()).to.have.length(1);
    await s2.close();
    expect(discovery.sessions()).to.have.length(0);
  });

  it('reads inside the chroot of the ensemble string', async () => {
    await put(chroot.zk, '/inner/svc/a', 'http://chrooted:1');
    const s = discovery.source('t', svc('SVC', 'svc', `${chroot.ensemble}/inner`));
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://chrooted:1']));
    expect(s.current()?.backends[0]?.znode).to.equal('/svc/a');
  });

  it('resolveOnce gives the same list the source routes on, plus warnings', async () => {
    await put(chroot.zk, '/svc/a', 'http://a:1');
    await put(chroot.zk, '/svc/b', 'garbage');
    const cfg = svc('SVC', 'svc');
    const s = discovery.source('t', cfg);
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1']));
    const once = await resolveOnce('t', cfg, OPTS);
    expect(once.snapshot.backends).to.deep.equal(s.current()!.backends);
    expect(once.warnings).to.have.length(1);
  });

  // Regression (chaos zk-down-restart): the saved list was served only after the connect timeout, so a
  // gateway restarted during an outage answered 503 for 5 s. Here the connect timeout is 10 s.
  it('--state-dir: a restart while ZooKeeper is down serves the last known list at once, then ZooKeeper\'s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'had-state-'));
    const proxy = await startTcpProxy(Number(server.split(':')[1]));
    const ensemble = `${proxy.connectString}${chroot.path}`;
    try {
      await put(chroot.zk, '/svc/a', 'http://a:1');
      const first = createDiscovery({ ...OPTS, stateDir: dir });
      const s1 = first.source('topo', svc('SVC', 'svc', ensemble));
      await eventually(() => expect(urlsOf(s1)).to.deep.equal(['http://a:1']));
      await eventually(async () => expect(JSON.parse(await readFile(join(dir, 'topo.SVC.json'), 'utf8')).backends).to.deep.equal([{ url: 'http://a:1', znode: '/svc/a' }]));
      await first.close();

      proxy.cut();
      const second = createDiscovery({ ...OPTS, connectTimeoutMs: 10000, stateDir: dir });
      const s2 = second.source('topo', svc('SVC', 'svc', ensemble));
      const seen: Snapshot[] = [];
      s2.subscribe((snap) => seen.push(snap));
      // Before any I/O: a request arriving right after start-up is routed.
      await Promise.resolve();
      expect(s2.current()).to.include({ origin: 'state-dir' });
      expect(urlsOf(s2)).to.deep.equal(['http://a:1']);
      expect(seen.map((snap) => snap.origin)).to.deep.equal(['state-dir']);
      expect(second.sessions()[0]?.state).not.to.equal('connected');

      await put(chroot.zk, '/svc/b', 'http://b:1');
      proxy.heal();
      await eventually(() => expect(urlsOf(s2)).to.deep.equal(['http://a:1', 'http://b:1']), 8000);
      expect(s2.current()?.origin).to.equal('zookeeper');
      await second.close();
    } finally {
      await proxy.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a service whose ZooKeeper is down and has no state has no list and keeps retrying', async () => {
    const proxy = await startTcpProxy(Number(server.split(':')[1]));
    try {
      proxy.cut();
      await put(chroot.zk, '/svc/a', 'http://a:1');
      const s = discovery.source('t', svc('SVC', 'svc', `${proxy.connectString}${chroot.path}`));
      await eventually(() => expect(discovery.sessions()[0]?.reconnects).to.be.at.least(2), 6000);
      expect(s.current()).to.equal(undefined);
      const d = s.describe();
      expect(d.kind === 'zookeeper' && d.sessionState).to.equal('connecting');
      expect(d.kind === 'zookeeper' && d.lastError).to.match(/not connected within/);
      proxy.heal();
      await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://a:1']), 6000);
    } finally {
      await discovery.close();
      await proxy.close();
    }
  });
});
