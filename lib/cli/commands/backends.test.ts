import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hadispatch } from '../../../test/descriptor/cli-helpers.js';

const GOOD = '<ha><service name="WEBHDFS"><url>http://nn1:9870/webhdfs</url></service></ha>';
const BAD = '<ha><service name="X" enableLoadBalancing="maybe"><url>http://x:1</url></service></ha>';

// Regression (review): a broken descriptor printed the table (its header at least) on stdout before
// the error; the command now checks everything before it prints.
describe('hadispatch backends (static descriptors)', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'had-backends-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('prints the table of static services and exits 0', async () => {
    await writeFile(join(dir, 'good.xml'), GOOD);
    const r = await hadispatch('backends', '--descriptors', dir);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^TOPOLOGY\s+SERVICE\s+SOURCE\s+URL\s+ZNODE\ngood\s+WEBHDFS\s+static\s+http:\/\/nn1:9870\/webhdfs\n$/);
    expect(r.stderr).to.equal('');
  });

  const refusals = [
    { desc: 'a broken descriptor', files: { 'good.xml': GOOD, 'bad.xml': BAD }, args: [], stderr: /^hadispatch backends: \S*bad\.xml:1:\d+: error: X: enableLoadBalancing: expected true or false, got "maybe"\n$/ },
    { desc: 'two broken descriptors', files: { 'bad.xml': BAD, 'bad2.xml': BAD }, args: [], stderr: /^hadispatch backends: \S*bad\.xml:1:\d+: error: .* \(and 1 more broken descriptor\)\n$/ },
    { desc: 'an unknown topology', files: { 'good.xml': GOOD }, args: ['nope'], stderr: /^hadispatch backends: no topology "nope" in \S+\n$/ },
    { desc: 'an unknown service', files: { 'good.xml': GOOD }, args: ['good/NOPE'], stderr: /^hadispatch backends: no service "NOPE" in topology "good"\n$/ },
  ];
  for (const c of refusals) {
    it(`exits 1 with one stderr line and nothing on stdout for ${c.desc}`, async () => {
      for (const [name, text] of Object.entries(c.files)) await writeFile(join(dir, name), text);
      const r = await hadispatch('backends', '--descriptors', dir, ...c.args);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(c.stderr);
    });
  }
});
