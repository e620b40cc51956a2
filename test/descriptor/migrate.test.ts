import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { migrate, ROOT, tempDir } from './cli-helpers.js';

const LEGACY_HA = `<?xml version="1.0"?>
<ha>
  <!-- written for Knox 1.x -->
  <service name="HIVE" zookeeperEnsemble="127.0.0.1:2181" zookeeperNamespace="hiveserver2"
           enableLoadBalancing="true" enableStickySessions="true" maxRetryAttempts="5" retrySleep="1000"/>
</ha>
`;
const LEGACY_TOPOLOGY = `<topology>
  <gateway>
    <provider><role>ha</role><name>HaProvider</name><enabled>true</enabled>
      <param><name>OOZIE</name><value>maxFailoverAttempts=3;failoverSleep=1000;failoverLimit=3</value></param>
    </provider>
  </gateway>
  <service><role>OOZIE</role><url>http://o1:11000/oozie</url></service>
</topology>
`;
const CURRENT = '<ha>\n  <service name="A"><url>http://a:1</url></service>\n</ha>\n';

describe('npm run migrate', () => {
  let t: ReturnType<typeof tempDir>;
  const f = (name: string): string => join(t.dir, name);
  beforeEach(() => {
    t = tempDir();
    writeFileSync(f('hive.xml'), LEGACY_HA);
    writeFileSync(f('oozie.xml'), LEGACY_TOPOLOGY);
    writeFileSync(f('current.xml'), CURRENT);
  });
  afterEach(() => t.remove());

  it('migrates a folder, one summary line per file, and a second run changes nothing', async () => {
    const first = await migrate(t.dir);
    expect(first.code).to.equal(0);
    expect(first.stdout.split('\n')).to.deep.equal([
      `${f('current.xml')}: up to date`,
      `${f('hive.xml')}: 3 changes (renamed enableStickySessions→enableStickySession, dropped maxRetryAttempts, dropped retrySleep)`,
      `${f('oozie.xml')}: 1 change (dropped failoverLimit)`,
      '',
    ]);
    expect(readFileSync(f('hive.xml'), 'utf8')).to.equal(LEGACY_HA.replace('enableStickySessions="true" maxRetryAttempts="5" retrySleep="1000"', 'enableStickySession="true"'));
    expect(readFileSync(f('oozie.xml'), 'utf8')).to.equal(LEGACY_TOPOLOGY.replace(';failoverLimit=3', ''));
    const snapshot = readdirSync(t.dir).map((n) => readFileSync(f(n), 'utf8'));
    const second = await migrate(t.dir);
    expect(second.stdout).to.equal(['current.xml', 'hive.xml', 'oozie.xml'].map((n) => `${f(n)}: up to date\n`).join(''));
    expect(readdirSync(t.dir).map((n) => readFileSync(f(n), 'utf8'))).to.deep.equal(snapshot);
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const r = await migrate('--dry-run', f('oozie.xml'));
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain(`--- ${f('oozie.xml')}\n+++ ${f('oozie.xml')}\n@@ -1,7 +1,7 @@\n`);
    expect(r.stdout).to.contain('+      <param><name>OOZIE</name><value>maxFailoverAttempts=3;failoverSleep=1000</value></param>\n');
    expect(r.stdout).to.contain(`${f('oozie.xml')}: 1 change (dropped failoverLimit) [dry run: not written]\n`);
    expect(readFileSync(f('oozie.xml'), 'utf8')).to.equal(LEGACY_TOPOLOGY);
  });

  it('--backup keeps FILE.bak, only for files that change', async () => {
    await migrate('--backup', t.dir);
    expect(readFileSync(f('hive.xml.bak'), 'utf8')).to.equal(LEGACY_HA);
    expect(existsSync(f('current.xml.bak'))).to.equal(false);
  });

  it('--to-descriptor replaces a topology by the equivalent HA descriptor', async () => {
    const r = await migrate('--to-descriptor', f('oozie.xml'));
    expect(r.stdout).to.equal(`${f('oozie.xml')}: 2 changes (dropped failoverLimit, converted the topology to an HA descriptor)\n`);
    expect(readFileSync(f('oozie.xml'), 'utf8')).to.match(/<ha>\n  <service [^>]*maxFailoverAttempts="3" name="OOZIE"[^>]*>\n    <url>http:\/\/o1:11000\/oozie<\/url>/);
    expect((await migrate('--to-descriptor', f('oozie.xml'))).stdout).to.equal(`${f('oozie.xml')}: up to date\n`);
  });

  it('reports a broken file, migrates the others, and exits 1', async () => {
    writeFileSync(f('broken.xml'), '<ha><service name="X"></ha>');
    const r = await migrate(t.dir);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(new RegExp(`^${f('broken.xml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: error: 1:\\d+: malformed XML`, 'm'));
    expect(readFileSync(f('hive.xml'), 'utf8')).not.to.equal(LEGACY_HA);
  });

  it('exits 2 without a PATH', async () => {
    expect((await migrate()).code).to.equal(2);
  });

  it('runs as scripts/migrate-descriptors from dist/ (skipped before npm run build)', function () {
    if (!existsSync(join(ROOT, 'dist/cli/commands/migrate.js'))) this.skip();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/migrate-descriptors'), f('hive.xml')], { encoding: 'utf8' });
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/hive.xml: 3 changes/);
  });
});
