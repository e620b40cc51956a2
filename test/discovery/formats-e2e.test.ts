import { expect } from 'chai';
import { makeServiceConfig } from '../../lib/descriptor/index.js';
import { createDiscovery, createRegistration, type Discovery, type BackendSource } from '../../lib/discovery/index.js';
import type { ZookeeperFormat } from '../../lib/core/index.js';
import { eventually } from '../helpers/eventually.js';
import { makeChroot, put, requireZk, type Chroot } from './zk-test-kit.js';

const OPTS = { sessionTimeoutMs: 4000, connectTimeoutMs: 3000, callTimeoutMs: 3000, backoff: { baseMs: 50, maxMs: 500 } };

const urlsOf = (s: BackendSource): string[] | undefined => s.current()?.backends.map((b) => b.url);

describe('ZooKeeper discovery: each format end to end', function () {
  let server: string;
  let chroot: Chroot;
  let discovery: Discovery;

  before(function () { server = requireZk(this); });
  beforeEach(async () => { chroot = await makeChroot(server); discovery = createDiscovery(OPTS); });
  afterEach(async () => { await discovery.close(); await chroot.cleanup(); });

  function source(name: string, format: ZookeeperFormat, namespace?: string): BackendSource {
    return discovery.source('t', makeServiceConfig({ name, zookeeperEnsemble: chroot.ensemble, zookeeperNamespace: namespace, zookeeperFormat: format }));
  }

  it('hive: HiveServer2-style sequential ephemeral znodes, binary instances and the leader node skipped', async () => {
    const data = (h: string, mode = 'http'): string => `hive.server2.instance.uri=${h}:10001;hive.server2.authentication=NONE;hive.server2.transport.mode=${mode};` +
      `hive.server2.thrift.http.path=cliservice;hive.server2.thrift.bind.host=${h};hive.server2.thrift.http.port=10001;hive.server2.use.SSL=false`;
    await put(chroot.zk, '/hiveserver2/serverUri=hs2a:10001;version=3.1.3;sequence=', data('hs2a'), 'ephemeral-sequential');
    await put(chroot.zk, '/hiveserver2/serverUri=hs2b:10000;version=3.1.3;sequence=', data('hs2b', 'binary'), 'ephemeral-sequential');
    await put(chroot.zk, '/hiveserver2/leader', '');
    const s = source('HIVE', 'hive', 'hiveserver2');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://hs2a:10001/cliservice']));
    expect(s.current()?.backends[0]?.znode).to.match(/^\/hiveserver2\/serverUri=hs2a:10001;version=3\.1\.3;sequence=\d{10}$/);
    expect(s.current()?.origin).to.equal('zookeeper');
    const d = s.describe();
    expect(d.kind === 'zookeeper' && d.warnings.length).to.equal(2);
  });

  it('hive: a register()ed instance appears, and disappears when it closes', async () => {
    const s = source('HIVE', 'hive', 'hiveserver2');
    await eventually(() => expect(urlsOf(s)).to.deep.equal([]));
    const reg = createRegistration({ ...OPTS, ensemble: chroot.ensemble, namespace: 'hiveserver2', format: 'hive', url: 'https://hs2c:10001/cliservice' });
    expect(await reg.ready).to.match(/^\/hiveserver2\/serverUri=hs2c:10001;/);
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['https://hs2c:10001/cliservice']));
    await reg.close();
    await eventually(() => expect(urlsOf(s)).to.deep.equal([]));
  });

  it('hbase: /hbase-secure/rs first, /hbase-unsecure/rs when that is empty, {ns}/rs with a namespace', async () => {
    await put(chroot.zk, '/hbase-unsecure/rs/rs1,16020,1700000000001', '');
    await chroot.zk.mkdirp('/hbase-secure/rs');
    await put(chroot.zk, '/hb/rs/rs9,16020,1700000000009', '');
    const dflt = source('WEBHBASE', 'hbase');
    const ns = source('WEBHBASE2', 'hbase', 'hb');
    await eventually(() => expect(urlsOf(dflt)).to.deep.equal(['http://rs1:8080']));
    await eventually(() => expect(urlsOf(ns)).to.deep.equal(['http://rs9:8080']));
    await put(chroot.zk, '/hbase-secure/rs/rs2,16020,1700000000002', '');
    await eventually(() => expect(urlsOf(dflt)).to.deep.equal(['http://rs2:8080']));
  });

  it('kafka: /brokers/ids JSON, host null resolved from endpoints', async () => {
    await put(chroot.zk, '/brokers/ids/1', '{"jmx_port":-1,"timestamp":"1505763958072","endpoints":["PLAINTEXT://k1:6667"],"host":"k1","version":3,"port":6667}');
    await put(chroot.zk, '/brokers/ids/2', '{"endpoints":["SASL_SSL://k2:9093"],"host":null,"port":-1,"version":5}');
    await put(chroot.zk, '/brokers/ids/3', '{"host":null}');
    const s = source('KAFKA', 'kafka', 'ignored-namespace');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://k1:8082', 'http://k2:8082']));
  });

  it('solr: /live_nodes names', async () => {
    await put(chroot.zk, '/live_nodes/solr2:8983_solr', '', 'ephemeral');
    await put(chroot.zk, '/live_nodes/solr1:8983_solr', '', 'ephemeral');
    const s = source('SOLR', 'solr');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://solr1:8983/solr', 'http://solr2:8983/solr']));
  });

  it('atlas: active_server_info data, followed when it changes, created or deleted', async () => {
    const s = source('ATLAS', 'atlas');
    await eventually(() => expect(urlsOf(s)).to.deep.equal([]));
    await put(chroot.zk, '/apache_atlas/active_server_info', 'http://atlas.node1:21000');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://atlas.node1:21000']));
    await chroot.zk.setData('/apache_atlas/active_server_info', Buffer.from('http://atlas.node2:21000'));
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://atlas.node2:21000']));
    await chroot.zk.remove('/apache_atlas/active_server_info');
    await eventually(() => expect(urlsOf(s)).to.deep.equal([]));
  });

  it('curator: ServiceInstance JSON as Curator writes it', async () => {
    const inst = (id: string, address: string): string => JSON.stringify({
      name: 'whoami', id, address, port: 8080, sslPort: null, payload: null, registrationTimeUTC: 1700000000000, serviceType: 'DYNAMIC',
      uriSpec: { parts: [{ value: 'scheme', variable: true }, { value: '://', variable: false }, { value: 'address', variable: true }, { value: ':', variable: false }, { value: 'port', variable: true }] },
    });
    await put(chroot.zk, '/services/whoami/0b7c', inst('0b7c', 'w1'), 'ephemeral');
    await put(chroot.zk, '/services/whoami/1a2b', inst('1a2b', 'w2'), 'ephemeral');
    const s = source('WHOAMI', 'curator', 'services/whoami');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://w1:8080', 'http://w2:8080']));
  });

  it('url: one URL per child, malformed data skipped with a warning naming the znode', async () => {
    await put(chroot.zk, '/svc/a', 'http://u1:1000');
    await put(chroot.zk, '/svc/b', 'http://null:8082');
    await put(chroot.zk, '/svc/c', '\u0000\u00ff garbage');
    const s = source('SVC', 'url', 'svc');
    await eventually(() => expect(urlsOf(s)).to.deep.equal(['http://u1:1000']));
    const d = s.describe();
    expect(d.kind === 'zookeeper' ? d.warnings : []).to.have.length(2).and.satisfy((w: string[]) => w[0]!.includes('/svc/b') && w[1]!.includes('/svc/c'));
  });
});
