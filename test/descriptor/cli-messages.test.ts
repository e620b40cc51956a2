import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hadispatch, migrate, tempDir, type RunResult } from './cli-helpers.js';

// Regression (review): user errors printed every diagnostic plus a summary on stderr, or the same
// text twice, and prefixes were doubled ("hadispatch descriptor: descriptor set: …",
// "hadispatch serve: serve: …"). SPEC §2: one line on stderr naming the file/line or flag at fault.

const DUP = '<ha>\n  <service name="A" enabled="yes"><url>http://a:1</url></service>\n  <service name="A"><url>http://b:1</url></service>\n</ha>\n';
const MALFORMED = '<ha><service name="A">\n</ha>\n';
const GOOD = '<ha>\n  <service name="A"><url>http://a:1</url></service>\n</ha>\n';
const BAD_TOPOLOGY = '<topology><gateway><provider><role>ha</role><name>HaProvider</name>\n'
  + '<param><name>X</name><value>enabled=maybe</value></param></provider></gateway></topology>\n';

describe('hadispatch descriptor / migrate: user errors', () => {
  let t: ReturnType<typeof tempDir>;
  const f = (name: string): string => join(t.dir, name);
  beforeEach(() => {
    t = tempDir();
    writeFileSync(f('dup.xml'), DUP);
    writeFileSync(f('malformed.xml'), MALFORMED);
    writeFileSync(f('set.xml'), GOOD);
    writeFileSync(f('topo.xml'), BAD_TOPOLOGY);
  });
  afterEach(() => t.remove());

  const MALFORMED_LINE = (file: string): string => `${file}:2:1: error: malformed XML: Expected closing tag 'service' (opened in line 1, col 5) instead of closing tag 'ha'.\n`;
  const DUP_LINES = (file: string): string => `${file}:2:21: error: A: enabled: expected true or false, got "yes"\n`
    + `${file}:3:3: error: duplicate service "A" (first defined at line 2)\n`;

  const cases: { desc: string; run: () => Promise<RunResult>; code: number; stdout: () => string; stderr: () => string }[] = [
    {
      desc: 'show of a file with errors', run: () => hadispatch('descriptor', 'show', f('dup.xml')), code: 1,
      stdout: () => DUP_LINES(f('dup.xml')),
      stderr: () => `hadispatch descriptor show: ${f('dup.xml')}: invalid, nothing shown (2 errors, first at line 2; listed on stdout)\n`,
    },
    {
      desc: 'show --json of a file with errors', run: () => hadispatch('descriptor', 'show', f('dup.xml'), '--json'), code: 1,
      stdout: () => DUP_LINES(f('dup.xml')),
      stderr: () => `hadispatch descriptor show: ${f('dup.xml')}: invalid, nothing shown (2 errors, first at line 2; listed on stdout)\n`,
    },
    {
      desc: 'set on a malformed file', run: () => hadispatch('descriptor', 'set', f('malformed.xml'), 'A', 'enabled=true'), code: 1,
      stdout: () => MALFORMED_LINE(f('malformed.xml')),
      stderr: () => `hadispatch descriptor set: cannot edit ${f('malformed.xml')}: it is not well-formed XML (1 error at line 2; listed on stdout)\n`,
    },
    {
      desc: 'set with a SERVICE that is not a service name', run: () => hadispatch('descriptor', 'set', f('set.xml'), 'A B', 'enabled=true'), code: 1,
      stdout: () => '',
      stderr: () => `hadispatch descriptor set: ${f('set.xml')}: service "A B": a service name must be a token (letters, digits and !#$%&'*+-.^_\`|~), got "A B"\n`,
    },
    {
      desc: 'set with an argument without =', run: () => hadispatch('descriptor', 'set', f('set.xml'), 'A', 'foo'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch descriptor set: expected key=value, got "foo"\n',
    },
    {
      desc: 'set with an unknown flag', run: () => hadispatch('descriptor', 'set', f('set.xml'), 'A', '--bogus'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch descriptor set: Unknown option \'--bogus\'\n',
    },
    {
      desc: 'set without key=value', run: () => hadispatch('descriptor', 'set', f('set.xml'), 'A'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch descriptor set: expected FILE SERVICE key=value...\n',
    },
    {
      desc: 'show of a missing file', run: () => hadispatch('descriptor', 'show', f('none.xml')), code: 1,
      stdout: () => '', stderr: () => `hadispatch descriptor show: ${f('none.xml')}: cannot read: no such file\n`,
    },
    {
      desc: 'show with an unknown flag', run: () => hadispatch('descriptor', 'show', '--yaml', f('set.xml')), code: 2,
      stdout: () => '', stderr: () => 'hadispatch descriptor show: Unknown option \'--yaml\'\n',
    },
    {
      desc: 'validate without a FILE', run: () => hadispatch('descriptor', 'validate'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch descriptor validate: expected at least one FILE or DIR\n',
    },
    {
      desc: 'convert of a topology with errors', run: () => hadispatch('descriptor', 'convert', f('topo.xml')), code: 1,
      stdout: () => `${f('topo.xml')}:2:29: error: X: enabled: expected true or false, got "maybe"\n`,
      stderr: () => `hadispatch descriptor convert: ${f('topo.xml')}: invalid, nothing converted (1 error at line 2; listed on stdout)\n`,
    },
    {
      desc: 'convert of an <ha> file', run: () => hadispatch('descriptor', 'convert', f('set.xml')), code: 1,
      stdout: () => '', stderr: () => `hadispatch descriptor convert: ${f('set.xml')}: not a Knox topology (the root element is <ha>): nothing to convert\n`,
    },
    {
      desc: 'convert without a file', run: () => hadispatch('descriptor', 'convert'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch descriptor convert: expected exactly one TOPOLOGY.xml\n',
    },
    {
      desc: 'an unknown sub-command', run: () => hadispatch('descriptor', 'frobnicate'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch descriptor: unknown subcommand "frobnicate": expected validate, show, set or convert\n',
    },
    {
      desc: 'serve with an extra argument', run: () => hadispatch('serve', 'extra'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch serve: unexpected argument "extra"\n',
    },
    {
      desc: 'serve with an unknown flag', run: () => hadispatch('serve', '--bogus'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch serve: Unknown option \'--bogus\'\n',
    },
    {
      desc: 'register without --zookeeper', run: () => hadispatch('register'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch register: --zookeeper ENSEMBLE is required\n',
    },
    {
      desc: 'backends with two selectors', run: () => hadispatch('backends', 'a', 'b'), code: 2,
      stdout: () => '', stderr: () => 'hadispatch backends: expected at most one TOPOLOGY[/SERVICE]\n',
    },
    {
      desc: 'migrate without a PATH (no help text dumped on stderr)', run: () => migrate(), code: 2,
      stdout: () => '', stderr: () => 'migrate-descriptors: expected at least one PATH (see --help)\n',
    },
    {
      desc: 'migrate with an unknown flag', run: () => migrate('--bogus', f('set.xml')), code: 2,
      stdout: () => '', stderr: () => 'migrate-descriptors: Unknown option \'--bogus\'\n',
    },
    {
      desc: 'migrate of a malformed file next to a good one', run: () => migrate(f('malformed.xml'), f('set.xml')), code: 1,
      stdout: () => `${f('malformed.xml')}: error: 2:1: malformed XML: Expected closing tag 'service' (opened in line 1, col 5) instead of closing tag 'ha'.\n${f('set.xml')}: up to date\n`,
      stderr: () => 'migrate-descriptors: 1 of 2 files could not be migrated (see the error lines on stdout)\n',
    },
  ];
  for (const c of cases) {
    it(`prints one stderr line for ${c.desc}`, async () => {
      const r = await c.run();
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).to.deep.equal({ code: c.code, stdout: c.stdout(), stderr: c.stderr() });
    });
  }
});

describe('hadispatch descriptor SUBCOMMAND --help', () => {
  // Regression (review): every sub-command printed the same full `descriptor` help.
  for (const sub of ['validate', 'show', 'set', 'convert']) {
    it(`prints the help of ${sub} only`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await hadispatch('descriptor', sub, flag);
        expect(r.code).to.equal(0);
        expect(r.stdout.split('\n')[0]).to.match(new RegExp(`^usage: hadispatch descriptor ${sub} `));
        expect(r.stdout).not.to.contain('<subcommand>');
      }
    });
  }

  it('prints the descriptor help for `descriptor --help` and an unknown sub-command', async () => {
    for (const args of [['--help'], ['frobnicate', '--help']]) {
      const r = await hadispatch('descriptor', ...args);
      expect(r.code).to.equal(0);
      expect(r.stdout.split('\n')[0]).to.equal('usage: hadispatch descriptor <subcommand> ...');
    }
  });
});
