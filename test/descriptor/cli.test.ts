import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hadispatch, spawnCli, tempDir } from './cli-helpers.js';

const GOOD = '<ha>\n  <service name="A" enableStickySession="true">\n    <url>http://a:1</url>\n  </service>\n</ha>\n';
const BAD = '<ha>\n  <service name="B" enabled="yes"><url>http://b:1</url></service>\n</ha>\n';
const TOPOLOGY = `<topology><gateway><provider><role>ha</role><name>HaProvider</name><enabled>true</enabled>
<param><name>OOZIE</name><value>enableLoadBalancing=true;maxFailoverAttempts=4</value></param></provider></gateway>
<service><role>OOZIE</role><url>http://o1:11000/oozie</url><url>http://o2:11000/oozie</url></service></topology>
`;

describe('hadispatch descriptor validate | show | convert', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
    writeFileSync(join(t.dir, 'good.xml'), GOOD);
    writeFileSync(join(t.dir, 'bad.xml'), BAD);
    writeFileSync(join(t.dir, 'topo.xml'), TOPOLOGY);
  });
  afterEach(() => t.remove());

  it('validate prints diagnostics on stdout, a summary on stderr, and exits 0 with warnings only', async () => {
    const r = await hadispatch('descriptor', 'validate', join(t.dir, 'good.xml'));
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal(`${join(t.dir, 'good.xml')}:2:21: warning: A: enableStickySession is ineffective: enableLoadBalancing is false\n`);
    expect(r.stderr).to.equal('1 file: 0 errors, 1 warning\n');
  });

  it('validate exits 1 when any file has an error, and accepts a folder', async () => {
    const r = await hadispatch('descriptor', 'validate', t.dir);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.contain(`${join(t.dir, 'bad.xml')}:2:21: error: B: enabled: expected true or false, got "yes"\n`);
    expect(r.stderr).to.equal('3 files: 1 error, 1 warning\n');
  });

  it('validate reports a missing file as an error line', async () => {
    const r = await hadispatch('descriptor', 'validate', join(t.dir, 'nope.xml'));
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal(`${join(t.dir, 'nope.xml')}:1:1: error: cannot read: no such file\n`);
  });

  it('show marks ineffective flags and fills defaults', async () => {
    const r = await hadispatch('descriptor', 'show', join(t.dir, 'good.xml'));
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('  enableStickySession: true (ineffective: enableLoadBalancing is false)\n');
    expect(r.stdout).to.contain('  maxFailoverAttempts: 3\n');
    expect(r.stdout).to.contain('  stickySessionCookieName: KNOX_BACKEND\n');
  });

  it('show --json prints every field plus effective and ineffective', async () => {
    const r = await hadispatch('descriptor', 'show', join(t.dir, 'topo.xml'), '--json');
    const services = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(services).to.have.length(1);
    expect(services[0]).to.deep.include({ name: 'OOZIE', maxFailoverAttempts: 4, enableLoadBalancing: true, ineffective: [] });
    expect(services[0]?.['effective']).to.deep.equal({ loadBalancing: true, stickySession: false, noFallback: false });
  });

  it('show exits 1 on a broken file: diagnostics on stdout, one stderr line naming file and line', async () => {
    const bad = join(t.dir, 'bad.xml');
    const r = await hadispatch('descriptor', 'show', bad);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal(`${bad}:2:21: error: B: enabled: expected true or false, got "yes"\n`);
    expect(r.stderr).to.equal(`hadispatch descriptor show: ${bad}: invalid, nothing shown (1 error at line 2; listed on stdout)\n`);
  });

  it('convert prints an HA descriptor that loads to the same services, or writes it with -o', async () => {
    const r = await hadispatch('descriptor', 'convert', join(t.dir, 'topo.xml'));
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>\n<!-- converted from the Knox topology topo.xml by hadispatch -->\n<ha>\n/);
    const out = join(t.dir, 'converted.xml');
    expect((await hadispatch('descriptor', 'convert', join(t.dir, 'topo.xml'), '-o', out)).code).to.equal(0);
    expect(readFileSync(out, 'utf8')).to.equal(r.stdout);
    const a = JSON.parse((await hadispatch('descriptor', 'show', join(t.dir, 'topo.xml'), '--json')).stdout) as unknown[];
    const b = JSON.parse((await hadispatch('descriptor', 'show', out, '--json')).stdout) as unknown[];
    expect(b).to.deep.equal(a);
  });

  it('convert refuses an <ha> file', async () => {
    const r = await hadispatch('descriptor', 'convert', join(t.dir, 'good.xml'));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/not a Knox topology/);
  });

  it('exits 2 on bad usage', async () => {
    expect((await hadispatch('descriptor')).code).to.equal(2);
    expect((await hadispatch('descriptor', 'frobnicate')).code).to.equal(2);
    expect((await hadispatch('descriptor', 'show', '--yaml', 'x.xml')).code).to.equal(2);
    expect((await hadispatch('descriptor', 'validate')).code).to.equal(2);
  });

  it('never prints a stack trace, whatever the input (child process)', function () {
    this.timeout(120_000);
    writeFileSync(join(t.dir, 'garbage.xml'), '\u0000<<<>>>&&&<!DOCTYPE');
    for (const args of [['descriptor', 'validate', join(t.dir, 'garbage.xml')], ['descriptor', 'show', join(t.dir, 'garbage.xml')],
      ['descriptor', 'convert', join(t.dir, 'garbage.xml')], ['descriptor', 'set', join(t.dir, 'garbage.xml'), 'A', 'enabled=true']]) {
      const r = spawnCli('hadispatch', args);
      expect(r.code, args.join(' ')).to.equal(1);
      expect(r.stderr + r.stdout).not.to.match(/\n\s+at /);
    }
  });
});
