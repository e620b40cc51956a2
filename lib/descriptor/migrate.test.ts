import { expect } from 'chai';
import { migrateDescriptor, type MigrateOutcome } from './migrate.js';
import { parseDescriptor } from './parse-descriptor.js';

const ok = (o: MigrateOutcome): { text: string; changes: readonly string[] } => {
  if (o.kind !== 'ok') throw new Error(o.message);
  return o;
};

const legacyHa = `<?xml version="1.0"?>
<ha>
  <!-- legacy -->
  <service name="HIVE" retrySleep="1000" enableLoadBalancing="true"
           enableStickySessions="true" MaxFailoverAttempts="3" zookeeperEnsemble="127.0.0.1:2181"/>
  <service name="OOZIE" failoverLimit='3'
           enabled="true">
    <url>http://o1:11000/oozie</url>
  </service>
</ha>
`;

const legacyTopology = `<topology>
  <gateway>
    <provider><role>ha</role><name>HaProvider</name><enabled>true</enabled>
      <param><name>OOZIE</name><value>maxFailoverAttempts=3;retrySleep=1000;failoverSleep=1000;enableloadbalancing=true</value></param>
      <param><name>HIVE</name><value>
        enableLoadBalancing=true;
        enableStickySessions=true;
        maxRetryAttempts=5
      </value></param>
    </provider>
  </gateway>
  <service><role>OOZIE</role><url>http://o1:11000/oozie</url><url>http://o2:11000/oozie</url></service>
  <service><role>HIVE</role><url>http://h1:10001/cliservice</url></service>
</topology>
`;

describe('migrateDescriptor', () => {
  it('drops removed keys and fixes misspellings in an <ha> descriptor, keeping the layout', () => {
    const { text, changes } = ok(migrateDescriptor(legacyHa, 'ha.xml', { toDescriptor: false }));
    expect(changes).to.deep.equal(['dropped retrySleep', 'renamed enableStickySessions→enableStickySession',
      'renamed MaxFailoverAttempts→maxFailoverAttempts', 'dropped failoverLimit']);
    expect(text).to.equal(`<?xml version="1.0"?>
<ha>
  <!-- legacy -->
  <service name="HIVE" enableLoadBalancing="true"
           enableStickySession="true" maxFailoverAttempts="3" zookeeperEnsemble="127.0.0.1:2181"/>
  <service name="OOZIE"
           enabled="true">
    <url>http://o1:11000/oozie</url>
  </service>
</ha>
`);
    expect(parseDescriptor(text, 'ha.xml').diagnostics.filter((d) => d.severity === 'error')).to.deep.equal([]);
  });

  it('is idempotent', () => {
    for (const src of [legacyHa, legacyTopology]) {
      const once = ok(migrateDescriptor(src, 'f.xml', { toDescriptor: false })).text;
      expect(ok(migrateDescriptor(once, 'f.xml', { toDescriptor: false }))).to.deep.equal({ kind: 'ok', text: once, changes: [] });
    }
  });

  it('fixes topology param strings in place', () => {
    const { text, changes } = ok(migrateDescriptor(legacyTopology, 't.xml', { toDescriptor: false }));
    expect(changes).to.deep.equal(['dropped retrySleep', 'renamed enableloadbalancing→enableLoadBalancing', 'renamed enableStickySessions→enableStickySession', 'dropped maxRetryAttempts']);
    expect(text).to.contain('<value>maxFailoverAttempts=3;failoverSleep=1000;enableLoadBalancing=true</value>');
    expect(text).to.contain('<value>\n        enableLoadBalancing=true;\n        enableStickySession=true\n      </value>');
  });

  it('drops a misspelling whose correct key is also present', () => {
    const { text, changes } = ok(migrateDescriptor('<ha><service name="A" enableStickySession="true" enableStickySessions="false"/></ha>', 'a.xml', { toDescriptor: false }));
    expect(text).to.equal('<ha><service name="A" enableStickySession="true"/></ha>');
    expect(changes).to.deep.equal(['dropped enableStickySessions (enableStickySession is set)']);
  });

  it('converts a topology with toDescriptor, and the result loads to the same services', () => {
    const { text, changes } = ok(migrateDescriptor(legacyTopology, 't.xml', { toDescriptor: true }));
    expect(changes[changes.length - 1]).to.equal('converted the topology to an HA descriptor');
    const before = parseDescriptor(ok(migrateDescriptor(legacyTopology, 't.xml', { toDescriptor: false })).text, 't.xml');
    const after = parseDescriptor(text, 't.xml');
    expect(after.config?.kind).to.equal('ha');
    expect(after.config?.services).to.deep.equal(before.config?.services);
  });

  it('reports a file that cannot be parsed', () => {
    expect(migrateDescriptor('<ha><service></ha>', 'bad.xml', { toDescriptor: false })).to.deep.include({ kind: 'error' });
  });
});

// Regression (review): a <value> whose decoded text differed from its source (CRLF line breaks,
// entities) was skipped and the file reported "up to date" with the removed keys still in it; and
// service-level <param>s named after a removed key were warned about by validate but kept.
describe('migrateDescriptor: values that need decoding, service-level params', () => {
  const topology = (value: string, service = '', eol = '\n'): string => [
    '<topology>', '  <gateway>', '    <provider><role>ha</role><name>HaProvider</name><enabled>true</enabled>',
    `      <param><name>HIVE</name><value>${value}</value></param>`, '    </provider>', '  </gateway>',
    `  <service><role>HIVE</role><url>http://h1:10001/x</url>${service}</service>`, '</topology>', '',
  ].join(eol);

  const cases: { desc: string; value: string; want: string; changes: string[] }[] = [
    {
      desc: 'a multi-line value with CRLF line breaks', value: '\r\n        enabled=true;\r\n        retrySleep=10;\r\n        enableStickySessions=true\r\n      ',
      want: '\r\n        enabled=true;\r\n        enableStickySession=true\r\n      ', changes: ['dropped retrySleep', 'renamed enableStickySessions→enableStickySession'],
    },
    {
      desc: 'entities, which stay as written', value: 'maxRetryAttempts=5;disableLoadBalancingForUserAgents=A&amp;B&#44;C;enableStickySessions=true',
      want: 'disableLoadBalancingForUserAgents=A&amp;B&#44;C;enableStickySession=true', changes: ['dropped maxRetryAttempts', 'renamed enableStickySessions→enableStickySession'],
    },
    { desc: 'a key written with a character reference', value: 'enabled=true;retry&#83;leep=1', want: 'enabled=true', changes: ['dropped retrySleep'] },
    { desc: 'a CDATA section, which stays well-formed', value: '<![CDATA[enabled=true;retrySleep=1&x]]>;failoverLimit=3', want: '<![CDATA[enabled=true]]>', changes: ['dropped retrySleep', 'dropped failoverLimit'] },
    { desc: 'a comment next to a dropped key', value: 'enabled=true;<!-- n -->retrySleep=1', want: 'enabled=true<!-- n -->', changes: ['dropped retrySleep'] },
    { desc: 'leading removed keys', value: ' retrySleep=1;maxRetryAttempts=2;\n enabled=true ', want: ' enabled=true ', changes: ['dropped retrySleep', 'dropped maxRetryAttempts'] },
    { desc: 'a value of removed keys only', value: '\n  retrySleep=1\n', want: '\n  \n', changes: ['dropped retrySleep'] },
  ];
  for (const c of cases) {
    it(`edits ${c.desc}`, () => {
      const { text, changes } = ok(migrateDescriptor(topology(c.value), 't.xml', { toDescriptor: false }));
      expect(text).to.equal(topology(c.want));
      expect(changes).to.deep.equal(c.changes);
      expect(ok(migrateDescriptor(text, 't.xml', { toDescriptor: false })).changes).to.deep.equal([]);
      expect(parseDescriptor(text, 't.xml').diagnostics.filter((d) => /removed from Knox|unknown key/.test(d.message))).to.deep.equal([]);
    });
  }

  it('keeps every other byte of a CRLF file', () => {
    const src = topology('\r\n  enabled=true;\r\n  retrySleep=10\r\n', '', '\r\n');
    expect(ok(migrateDescriptor(src, 't.xml', { toDescriptor: false })).text).to.equal(topology('\r\n  enabled=true\r\n', '', '\r\n'));
  });

  it('reports a value it cannot edit safely as an error, never as nothing to do', () => {
    const o = migrateDescriptor(topology('enabled=true;<x/>retrySleep=1'), 't.xml', { toDescriptor: false });
    expect(o).to.deep.equal({ kind: 'error', message: '4:31: cannot edit this <value> safely (it holds markup this tool does not rewrite); 1 key to fix by hand: dropped retrySleep' });
  });

  it('drops service-level params named after a removed key, with their line when alone on it', () => {
    const service = '\n    <param><name>retrySleep</name><value>5</value></param>\n    <param><name>maxFailoverAttempts</name><value>5</value></param>'
      + '<param><name>failoverLimit</name><value>1</value></param>\n    <param><name>MaxRetryAttempts</name><value>1</value></param>\n  ';
    const { text, changes } = ok(migrateDescriptor(topology('enabled=true', service), 't.xml', { toDescriptor: false }));
    expect(text).to.equal(topology('enabled=true', '\n    <param><name>maxFailoverAttempts</name><value>5</value></param>\n  '));
    expect(changes).to.deep.equal(['dropped retrySleep', 'dropped failoverLimit', 'dropped MaxRetryAttempts']);
    expect(parseDescriptor(text, 't.xml').diagnostics.filter((d) => d.severity === 'warning')).to.deep.equal([]);
  });
});
