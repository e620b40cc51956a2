import { expect } from 'chai';
import { request } from 'undici';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { eventually } from '../helpers/eventually.js';
import { startTestGateway, closeTestGateways, haXml } from '../helpers/gateway.js';
import { requireZk, makeChroot, put, type Chroot } from '../discovery/zk-test-kit.js';

/** What HiveServer2 (HTTP transport) writes into its znode. */
function hiveData(port: number): string {
  return [
    'hive.server2.instance.uri=127.0.0.1:' + port, 'hive.server2.authentication=NONE',
    'hive.server2.transport.mode=http', 'hive.server2.thrift.http.path=cliservice',
    'hive.server2.thrift.bind.host=127.0.0.1', 'hive.server2.thrift.http.port=' + port, 'hive.server2.use.SSL=false',
  ].join(';');
}

async function body(url: string): Promise<{ status: number; text: string }> {
  const res = await request(url);
  return { status: res.statusCode, text: await res.body.text() };
}

describe('gateway with a ZooKeeper-discovered HIVE service', function () {
  this.timeout(30000);
  let zk: string;
  let chroot: Chroot;
  let b1: TestBackend;
  let b2: TestBackend;

  before(function () { zk = requireZk(this); });
  beforeEach(async () => {
    chroot = await makeChroot(zk);
    await chroot.zk.mkdirp('/hiveserver2');
    b1 = await startBackend('b1');
    b2 = await startBackend('b2');
  });
  afterEach(async () => {
    await closeTestGateways();
    await closeBackends();
    await chroot.cleanup();
  });

  it('routes to instances registered after start and stops routing to one that deregisters', async () => {
    const gw = await startTestGateway({
      admin: true, zkSessionTimeoutMs: 4000,
      xml: { t: haXml([{ name: 'HIVE', attrs: { zookeeperEnsemble: chroot.ensemble, zookeeperNamespace: 'hiveserver2', enableLoadBalancing: true, failoverSleep: 0 } }]) },
    });
    await eventually(async () => expect((await request(`${gw.adminUrl ?? ''}/ready`)).statusCode).to.equal(200), 10000);
    expect((await body(`${gw.base}/t/hive/x`)).status).to.equal(503);

    const z1 = await put(chroot.zk, `/hiveserver2/serverUri=127.0.0.1:${b1.port};version=3.1.3;sequence=0000000001`, hiveData(b1.port), 'ephemeral');
    await eventually(async () => expect((await body(`${gw.base}/t/hive/x`)).text).to.equal('b1'), 10000);
    expect(b1.last?.url).to.equal('/cliservice/x');

    await put(chroot.zk, `/hiveserver2/serverUri=127.0.0.1:${b2.port};version=3.1.3;sequence=0000000002`, hiveData(b2.port), 'ephemeral');
    await eventually(async () => {
      const seen = new Set([(await body(`${gw.base}/t/hive/x`)).text, (await body(`${gw.base}/t/hive/x`)).text]);
      expect([...seen].sort()).to.deep.equal(['b1', 'b2']);
    }, 10000);

    await chroot.zk.remove(z1);
    await eventually(async () => {
      const answers = await Promise.all([1, 2, 3, 4].map(() => body(`${gw.base}/t/hive/x`)));
      expect(answers.map((a) => a.text)).to.deep.equal(['b2', 'b2', 'b2', 'b2']);
    }, 10000);
    const before = b1.requests;
    for (let i = 0; i < 4; i++) expect((await body(`${gw.base}/t/hive/x`)).text).to.equal('b2');
    expect(b1.requests).to.equal(before);

    const report = await (await request(`${gw.adminUrl ?? ''}/backends`)).body.json() as {
      topologies: { services: { origin: string; backends: { url: string; znode?: string }[] }[] }[]; zookeeper: { state: string }[];
    };
    const svc = report.topologies[0]?.services[0];
    expect(svc?.origin).to.equal('zookeeper');
    expect(svc?.backends.map((b) => b.url)).to.deep.equal([`http://127.0.0.1:${b2.port}/cliservice`]);
    expect(report.zookeeper[0]?.state).to.equal('connected');
    const metrics = await (await request(`${gw.adminUrl ?? ''}/metrics`)).body.text();
    expect(metrics).to.include(`hadispatch_zookeeper_session_connected{ensemble="${chroot.ensemble}"} 1`);
    expect(metrics).to.match(/hadispatch_backend_list_changes_total\{topology="t",service="HIVE"\} [3-9]/);
  });
});
