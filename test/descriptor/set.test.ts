import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hadispatch, spawnCli, tempDir } from './cli-helpers.js';

/** A hand-written descriptor full of comments, odd spacing and both quote styles. */
const HAND_WRITTEN = `<?xml version="1.0" encoding="UTF-8"?>
<!--
   Cluster "prod-east" HA descriptor.
   Changes go through the platform team.   Trailing spaces on purpose:   
-->
<ha>

	<!-- WebHDFS behind two NameNodes (tab-indented on purpose) -->
	<service name="WEBHDFS"  maxFailoverAttempts='3'   failoverSleep = "1000"
	         enableLoadBalancing="false"><!-- inline comment -->
		<url>http://nn1.example.com:9870/webhdfs</url>
		<!-- <url>http://nn3.example.com:9870/webhdfs</url> retired -->
		<url>http://nn2.example.com:9870/webhdfs</url>
	</service>

	<!-- Hive: sticky sessions -->
	<service name="HIVE" zookeeperEnsemble="127.0.0.1:2181"
	         zookeeperNamespace="hiveserver2" enableLoadBalancing="true" enableStickySession="true"/>
</ha>
<!-- end -->
`;

function changed(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).to.equal(a.length);
  return a.map((l, i) => [l, b[i]!] as [string, string]).filter(([x, y]) => x !== y);
}

describe('hadispatch descriptor set', () => {
  let t: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    t = tempDir();
    file = join(t.dir, 'prod.xml');
    writeFileSync(file, HAND_WRITTEN);
  });
  afterEach(() => t.remove());

  it('keeps a commented file byte-identical except the edited line', async () => {
    const r = await hadispatch('descriptor', 'set', file, 'WEBHDFS', 'failoverSleep=250');
    expect(r.code).to.equal(0);
    expect(changed(HAND_WRITTEN, readFileSync(file, 'utf8'))).to.deep.equal([[
      `\t<service name="WEBHDFS"  maxFailoverAttempts='3'   failoverSleep = "1000"`,
      `\t<service name="WEBHDFS"  maxFailoverAttempts='3'   failoverSleep = "250"`,
    ]]);
  });

  it('edits several keys of one service; only their lines change', async () => {
    const r = await hadispatch('descriptor', 'set', file, 'HIVE', 'noFallback=true', 'zookeeperNamespace=hs2');
    expect(r.code).to.equal(0);
    expect(changed(HAND_WRITTEN, readFileSync(file, 'utf8'))).to.deep.equal([[
      '\t         zookeeperNamespace="hiveserver2" enableLoadBalancing="true" enableStickySession="true"/>',
      '\t         zookeeperNamespace="hs2" enableLoadBalancing="true" enableStickySession="true" noFallback="true"/>',
    ]]);
  });

  it('adds a missing service with the file\'s indentation', async () => {
    expect((await hadispatch('descriptor', 'set', file, 'OOZIE', 'zookeeperEnsemble=127.0.0.1:2181')).code).to.equal(0);
    expect(readFileSync(file, 'utf8')).to.equal(HAND_WRITTEN.replace('</ha>', '\t<service name="OOZIE" zookeeperEnsemble="127.0.0.1:2181"/>\n</ha>'));
  });

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const r = await hadispatch('descriptor', 'set', file, 'WEBHDFS', 'enableLoadBalancing=true', '--dry-run');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal(`--- ${file}\n+++ ${file}\n@@ -7,7 +7,7 @@\n \n \t<!-- WebHDFS behind two NameNodes (tab-indented on purpose) -->\n`
      + ` \t<service name="WEBHDFS"  maxFailoverAttempts='3'   failoverSleep = "1000"\n-\t         enableLoadBalancing="false"><!-- inline comment -->\n`
      + `+\t         enableLoadBalancing="true"><!-- inline comment -->\n \t\t<url>http://nn1.example.com:9870/webhdfs</url>\n`
      + ' \t\t<!-- <url>http://nn3.example.com:9870/webhdfs</url> retired -->\n \t\t<url>http://nn2.example.com:9870/webhdfs</url>\n');
    expect(readFileSync(file, 'utf8')).to.equal(HAND_WRITTEN);
  });

  const refused: { desc: string; args: string[]; stderr: RegExp; code: number }[] = [
    { desc: 'an unknown key (did-you-mean)', args: ['HIVE', 'enableStickySessions=true'], stderr: /unknown attribute "enableStickySessions"; did you mean "enableStickySession"\?/, code: 1 },
    { desc: 'a bad boolean', args: ['HIVE', 'noFallback=yes'], stderr: /noFallback: expected true or false, got "yes"/, code: 1 },
    { desc: 'a bad integer', args: ['HIVE', 'maxFailoverAttempts=-2'], stderr: /maxFailoverAttempts: must not be negative/, code: 1 },
    { desc: 'a result with errors', args: ['HIVE', 'path=webhdfs'], stderr: /^hadispatch descriptor set: refusing to write .*prod\.xml: the result would be invalid \(1 error at line 18; listed on stdout\)\n$/, code: 1 },
    { desc: 'an argument without =', args: ['HIVE', 'noFallback'], stderr: /expected key=value, got "noFallback"/, code: 2 },
  ];
  for (const c of refused) {
    it(`refuses ${c.desc} and leaves the file alone`, async () => {
      const r = await hadispatch('descriptor', 'set', file, ...c.args);
      expect(r.code).to.equal(c.code);
      expect(r.stderr).to.match(c.stderr);
      expect(r.stderr.split('\n')).to.have.length(2, 'exactly one line on stderr');
      expect(readFileSync(file, 'utf8')).to.equal(HAND_WRITTEN);
    });
  }

  it('lists the errors of a refused result on stdout, not on stderr', async () => {
    const r = await hadispatch('descriptor', 'set', file, 'HIVE', 'path=webhdfs');
    expect(r.stdout).to.equal(`${file}:18:98: error: HIVE: path "webhdfs" is already used by service "WEBHDFS" (line 9)\n`);
    expect(r.stderr).not.to.contain('already used');
  });

  it('refuses a Knox topology and suggests convert', async () => {
    writeFileSync(file, '<topology><gateway/></topology>\n');
    const r = await hadispatch('descriptor', 'set', file, 'HIVE', 'enabled=true');
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('is a Knox topology; convert it first: hadispatch descriptor convert');
  });

  it('writes atomically: a write that fails midway (file size limit, like a full disk) leaves the old file intact and no temp file', function () {
    this.timeout(120_000);
    // Big enough that the new content exceeds the 256 KB limit, so the temp file write fails with EFBIG.
    const padded = HAND_WRITTEN.replace('<!-- end -->', `<!-- ${'x'.repeat(400_000)} -->`);
    writeFileSync(file, padded);
    const r = spawnCli('hadispatch', ['descriptor', 'set', file, 'HIVE', 'noFallback=true'], 'ulimit -f 256;');
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/cannot write: EFBIG/);
    expect(readFileSync(file, 'utf8')).to.equal(padded);
    expect(readdirSync(t.dir)).to.deep.equal(['prod.xml']);
  });
});
