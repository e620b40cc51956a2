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
