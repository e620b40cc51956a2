import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hadispatch, migrate, tempDir } from './cli-helpers.js';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

// Regression (review): files were decoded with readFile(f, 'utf8'): Latin-1 bytes silently became
// U+FFFD, and `descriptor set` / the migration then wrote the damage back.
describe('descriptor files that are not UTF-8', () => {
  let t: ReturnType<typeof tempDir>;
  const f = (name: string): string => join(t.dir, name);
  const LATIN1 = latin1('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- Maître: José -->\n<ha>\n  <service name="A" retrySleep="1"><url>http://a:1</url></service>\n</ha>\n');
  const WHY = 'not UTF-8: byte 0xEE at byte offset 51 cannot be decoded (only UTF-8 is read, the XML declaration says ISO-8859-1: convert the file, e.g. iconv -f ISO-8859-1 -t UTF-8)';
  beforeEach(() => {
    t = tempDir();
    writeFileSync(f('l.xml'), LATIN1);
  });
  afterEach(() => t.remove());

  it('set refuses the file with one line naming file, line and byte offset, exit 1, file untouched', async () => {
    const r = await hadispatch('descriptor', 'set', f('l.xml'), 'A', 'failoverSleep=5');
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal(`hadispatch descriptor set: ${f('l.xml')}:2:8: error: ${WHY}\n`);
    expect(readFileSync(f('l.xml')).equals(LATIN1)).to.equal(true);
  });

  it('validate reports it as an error at the bad byte', async () => {
    const r = await hadispatch('descriptor', 'validate', f('l.xml'));
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal(`${f('l.xml')}:2:8: error: ${WHY}\n`);
  });

  it('migrate --backup reports it, writes no backup and leaves the file untouched', async () => {
    const r = await migrate('--backup', f('l.xml'));
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal(`${f('l.xml')}: error: 2:8: ${WHY}\n`);
    expect(existsSync(f('l.xml.bak'))).to.equal(false);
    expect(readFileSync(f('l.xml')).equals(LATIN1)).to.equal(true);
  });

  it('keeps a UTF-8 BOM: set and migrate write it back, and the backup is a byte copy', async () => {
    const src = Buffer.concat([BOM, Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<ha>\n  <service name="A" retrySleep="1"><url>http://é:1</url></service>\n</ha>\n')]);
    writeFileSync(f('b.xml'), src);
    expect((await migrate('--backup', f('b.xml'))).code).to.equal(0);
    expect(readFileSync(f('b.xml.bak')).equals(src)).to.equal(true);
    expect((await hadispatch('descriptor', 'set', f('b.xml'), 'A', 'failoverSleep=5')).code).to.equal(0);
    const out = readFileSync(f('b.xml'));
    expect(out.subarray(0, 3).equals(BOM)).to.equal(true);
    expect(out.toString('utf8')).to.equal('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<ha>\n  <service name="A" failoverSleep="5"><url>http://é:1</url></service>\n</ha>\n');
  });
});
