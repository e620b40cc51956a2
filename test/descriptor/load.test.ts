import { expect } from 'chai';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescriptorError, FileError } from '../../lib/core/index.js';
import { loadDescriptorDir, loadDescriptorFile } from '../../lib/descriptor/index.js';
import { tempDir } from './cli-helpers.js';

describe('loadDescriptorFile / loadDescriptorDir', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir(); });
  afterEach(() => t.remove());

  it('loads a file as the topology named after it', async () => {
    writeFileSync(join(t.dir, 'sandbox.xml'), '<ha><service name="A"><url>http://a:1</url></service></ha>');
    const config = await loadDescriptorFile(join(t.dir, 'sandbox.xml'));
    expect(config).to.deep.include({ name: 'sandbox', kind: 'ha', file: join(t.dir, 'sandbox.xml') });
  });

  it('throws DescriptorError naming file:line:col, with every diagnostic', async () => {
    const file = join(t.dir, 'bad.xml');
    writeFileSync(file, '<ha>\n<service name="A" enabled="maybe"/>\n<service name="A" failoverSleep="x"/>\n</ha>');
    const err = await loadDescriptorFile(file).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(DescriptorError);
    const d = err as DescriptorError;
    expect(d.code).to.equal('HAD_ERR_DESCRIPTOR_INVALID');
    expect(d.message).to.equal(`${file}:2:19: error: A: enabled: expected true or false, got "maybe" (and 2 more errors)`);
    // The duplicate "A" counts too, although both services have a bad value (it used to be missed).
    expect(d.diagnostics.filter((x) => x.severity === 'error').map((x) => x.message)).to.deep.equal([
      'A: enabled: expected true or false, got "maybe"', 'duplicate service "A" (first defined at line 2)', 'A: failoverSleep: expected an integer ≥ 0, got "x"',
    ]);
  });

  it('throws FileError for a missing file', async () => {
    const err = await loadDescriptorFile(join(t.dir, 'none.xml')).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(FileError);
    expect((err as FileError).message).to.equal(`${join(t.dir, 'none.xml')}: cannot read: no such file`);
  });

  it('loads every *.xml of a folder (sorted, not recursive); a bad file does not stop the others', async () => {
    writeFileSync(join(t.dir, 'b.xml'), '<ha><service name="B"><url>http://b:1</url></service></ha>');
    writeFileSync(join(t.dir, 'a.xml'), '<topology/>');
    writeFileSync(join(t.dir, 'c.xml'), '<ha><broken');
    writeFileSync(join(t.dir, 'notes.txt'), 'ignored');
    mkdirSync(join(t.dir, 'sub'));
    writeFileSync(join(t.dir, 'sub', 'd.xml'), '<ha/>');
    const { topologies, failures } = await loadDescriptorDir(t.dir);
    expect(topologies.map((x) => x.name)).to.deep.equal(['a', 'b']);
    expect(failures.map((x) => [x.file, x.error.code])).to.deep.equal([[join(t.dir, 'c.xml'), 'HAD_ERR_DESCRIPTOR_INVALID']]);
  });

  it('throws FileError for a missing folder', async () => {
    const err = await loadDescriptorDir(join(t.dir, 'nope')).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(FileError);
  });

  // Regression (review): serve and backends skipped symlinked descriptors (Dirent.isFile() is false
  // for a link) although validate read them.
  it('follows symlinks to regular files in the folder, and skips links to folders and dangling links', async () => {
    const other = tempDir();
    try {
      writeFileSync(join(other.dir, 'real.xml'), '<ha><service name="L"><url>http://l:1</url></service></ha>');
      mkdirSync(join(other.dir, 'folder.xml'));
      writeFileSync(join(t.dir, 'plain.xml'), '<ha><service name="P"><url>http://p:1</url></service></ha>');
      symlinkSync(join(other.dir, 'real.xml'), join(t.dir, 'linked.xml'));
      symlinkSync(join(other.dir, 'folder.xml'), join(t.dir, 'dir.xml'));
      symlinkSync(join(other.dir, 'gone.xml'), join(t.dir, 'dangling.xml'));
      const { topologies, failures } = await loadDescriptorDir(t.dir);
      expect(topologies.map((x) => [x.name, x.services.map((s) => s.name)])).to.deep.equal([['linked', ['L']], ['plain', ['P']]]);
      expect(failures).to.deep.equal([]);
    } finally {
      other.remove();
    }
  });

  // Regression (review): a Latin-1 file was read with its bad bytes turned into U+FFFD.
  it('refuses a file that is not UTF-8 with HAD_ERR_DESCRIPTOR_INVALID at the first bad byte', async () => {
    const file = join(t.dir, 'latin1.xml');
    writeFileSync(file, Buffer.concat([Buffer.from('<ha>\n<!-- Jos'), Buffer.from([0xe9]), Buffer.from(' -->\n</ha>\n')]));
    const err = await loadDescriptorFile(file).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(DescriptorError);
    expect((err as DescriptorError).message).to.equal(`${file}:2:9: error: not UTF-8: byte 0xE9 at byte offset 13 cannot be decoded (save the file as UTF-8)`);
  });
});
