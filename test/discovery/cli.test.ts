import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeServiceConfig } from '../../lib/descriptor/index.js';
import { createDiscovery } from '../../lib/discovery/index.js';
import { hadispatch } from '../descriptor/cli-helpers.js';
import { eventually } from '../helpers/eventually.js';
import { freePort } from '../helpers/zk-server.js';
import { makeChroot, put, requireZk, type Chroot } from './zk-test-kit.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const RUNNER = "import('./lib/cli/index.ts').then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })";

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RUNNER, ...args], {
    cwd: ROOT, env: { ...process.env, HAD_TEST: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('hadispatch backends and register', function () {
  this.timeout(30000);
  let server: string;
  let chroot: Chroot;
  let dir: string;
  const children: ChildProcess[] = [];

  before(function () { server = requireZk(this); });
  beforeEach(async () => {
    chroot = await makeChroot(server);
    dir = await mkdtemp(join(tmpdir(), 'had-desc-'));
    await writeFile(join(dir, 'prod.xml'), `<?xml version="1.0" encoding="UTF-8"?>
<ha>
  <service name="WEBHDFS"><url>http://nn1:9870/webhdfs</url><url>http://nn2:9870/webhdfs</url></service>
  <service name="HIVE" zookeeperEnsemble="${chroot.ensemble}" zookeeperNamespace="hiveserver2" enableLoadBalancing="true"/>
  <service name="WHOAMI" zookeeperEnsemble="${chroot.ensemble}" zookeeperNamespace="svc/whoami" zookeeperFormat="url"/>
</ha>
`);
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    await chroot.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('register keeps a HiveServer2-style znode that backends prints, and removes it on SIGTERM', async () => {
    const reg = cli(['register', '--zookeeper', chroot.ensemble, '--namespace', 'hiveserver2', '--format', 'hive', '--url', 'http://127.0.0.1:10001/cliservice']);
    children.push(reg);
    let out = '';
    reg.stdout!.on('data', (d) => { out += d; });
    const path = await eventually(() => { expect(out).to.include('\n'); return out.trim(); }, 15000);
    expect(path).to.match(/^\/hiveserver2\/serverUri=127\.0\.0\.1:10001;version=[^;]+;sequence=\d{10}$/);

    const table = await hadispatch('backends', '--descriptors', dir);
    expect(table.code).to.equal(0);
    expect(table.stdout).to.match(/prod\s+WEBHDFS\s+static\s+http:\/\/nn1:9870\/webhdfs/);
    expect(table.stdout).to.include('http://127.0.0.1:10001/cliservice').and.include(path);
    expect(table.stdout).to.match(/prod\s+WHOAMI\s+zookeeper \S+\/svc\/whoami url\s+\(none\)/);

    // `backends` prints the list the gateway routes on.
    const discovery = createDiscovery({ connectTimeoutMs: 3000 });
    const s = discovery.source('prod', makeServiceConfig({ name: 'HIVE', zookeeperEnsemble: chroot.ensemble, zookeeperNamespace: 'hiveserver2' }));
    const json = JSON.parse((await hadispatch('backends', '--descriptors', dir, 'prod/HIVE', '--json')).stdout) as { services: { backends: unknown[] }[] };
    await eventually(() => expect(s.current()?.backends).to.deep.equal(json.services[0]!.backends));
    await discovery.close();

    reg.kill('SIGTERM');
    expect(await new Promise((resolve) => reg.on('exit', resolve))).to.equal(0);
    expect(await chroot.zk.exists(path)).to.equal(undefined);
  });

  it('backends reports unknown topologies and services, malformed znodes and unreachable ZooKeeper', async () => {
    expect((await hadispatch('backends', '--descriptors', dir, 'nope')).code).to.equal(1);
    const noSvc = await hadispatch('backends', '--descriptors', dir, 'prod/NOPE');
    expect(noSvc.code).to.equal(1);
    expect(noSvc.stderr).to.include('no service "NOPE"');

    await put(chroot.zk, '/svc/whoami/a', 'http://w1:8080');
    await put(chroot.zk, '/svc/whoami/b', 'http://null:8080');
    const ok = await hadispatch('backends', '--descriptors', dir, 'prod/WHOAMI', '--json');
    expect(ok.code).to.equal(0);
    const parsed = JSON.parse(ok.stdout) as { services: { backends: { url: string; znode: string }[]; warnings: string[] }[] };
    expect(parsed.services[0]!.backends).to.deep.equal([{ url: 'http://w1:8080', znode: '/svc/whoami/a' }]);
    expect(ok.stderr).to.include('/svc/whoami/b');

    const dead = `127.0.0.1:${await freePort()}`;
    await writeFile(join(dir, 'dead.xml'), `<ha><service name="HIVE" zookeeperEnsemble="${dead}" zookeeperNamespace="hiveserver2"/></ha>`);
    const down = await hadispatch('backends', '--descriptors', dir, 'dead', '--timeout', '500');
    expect(down.code).to.equal(1);
    expect(down.stdout).to.match(/dead\s+HIVE\s+zookeeper \S+ hive\s+error: /);
  });

  it('register refuses a URL its format cannot express, and bad usage', async () => {
    const bad = await hadispatch('register', '--zookeeper', chroot.ensemble, '--format', 'hbase', '--url', 'http://rs1:9999');
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('cannot express');
    expect((await hadispatch('register', '--url', 'http://h:1')).code).to.equal(2);
  });
});
