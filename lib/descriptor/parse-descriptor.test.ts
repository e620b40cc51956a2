import { expect } from 'chai';
import { parseDescriptor } from './parse-descriptor.js';
import { formatDiagnostic } from './diagnostics.js';

const lines = (xml: string): string[] => parseDescriptor(xml, 'ha.xml').diagnostics.map(formatDiagnostic);

describe('parseDescriptor diagnostics', () => {
  const cases: { desc: string; xml: string; expect: string[] }[] = [
    { desc: 'malformed XML', xml: '<ha>\n  <service name="A">\n</ha>', expect: ["ha.xml:3:1: error: malformed XML: Expected closing tag 'service' (opened in line 2, col 3) instead of closing tag 'ha'."] },
    { desc: 'a file that ends inside elements (regression: "Invalid \'[    "ha",    "service"]\' found." at 1:1)', xml: '<ha>\n  <service name="A">\n    <url>http://a:1</url>\n', expect: ['ha.xml:2:3: error: malformed XML: the file ends inside <ha>, <service> (a missing end tag or an unfinished tag)'] },
    { desc: 'an empty file', xml: '', expect: ['ha.xml:1:1: error: malformed XML: Start tag expected.'] },
    { desc: 'a DOCTYPE', xml: '<?xml version="1.0"?>\n<!DOCTYPE ha [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<ha>&x;</ha>', expect: ['ha.xml:2:1: error: DOCTYPE and entities are refused'] },
    { desc: 'an undefined entity', xml: '<ha>\n  <service name="A&x;"/>\n</ha>', expect: ['ha.xml:2:19: error: unknown entity reference "&x;": DOCTYPE and entities are refused (escape a literal & as &amp;)'] },
    { desc: 'a wrong root element', xml: '<services/>', expect: ['ha.xml:1:1: error: the root element must be <ha> or <topology>, got <services>'] },
    { desc: 'a bad boolean', xml: '<ha>\n  <service name="A" enableLoadBalancing="yes"><url>http://a:1</url></service>\n</ha>', expect: ['ha.xml:2:21: error: A: enableLoadBalancing: expected true or false, got "yes"'] },
    { desc: 'a bad integer', xml: '<ha>\n  <service name="A"\n    maxFailoverAttempts="three"><url>http://a:1</url></service>\n</ha>', expect: ['ha.xml:3:5: error: A: maxFailoverAttempts: expected an integer ≥ 0, got "three"'] },
    { desc: 'a negative number', xml: '<ha><service name="A" failoverSleep="-5"><url>http://a:1</url></service></ha>', expect: ['ha.xml:1:23: error: A: failoverSleep: must not be negative, got "-5"'] },
    { desc: 'an unknown attribute, with a did-you-mean', xml: '<ha>\n <service name="A" enableStickySessions="true"><url>http://a:1</url></service>\n</ha>', expect: ['ha.xml:2:20: warning: A: unknown attribute "enableStickySessions" is ignored, as Knox does; did you mean "enableStickySession"?'] },
    { desc: 'an attribute in the wrong case', xml: '<ha><service name="A" EnableLoadBalancing="true"><url>http://a:1</url></service></ha>', expect: ['ha.xml:1:23: warning: A: unknown attribute "EnableLoadBalancing" is ignored, as Knox does; did you mean "enableLoadBalancing"?'] },
    { desc: 'an unknown attribute far from any name', xml: '<ha><service name="A" colour="blue"><url>http://a:1</url></service></ha>', expect: ['ha.xml:1:23: warning: A: unknown attribute "colour" is ignored, as Knox does'] },
    { desc: 'a removed Knox key', xml: '<ha><service name="A" failoverLimit="3"><url>http://a:1</url></service></ha>', expect: ['ha.xml:1:23: warning: A: attribute "failoverLimit" was removed from Knox and is ignored (npm run migrate drops it)'] },
    { desc: 'sticky without load balancing', xml: '<ha>\n<service name="A" enableStickySession="true"><url>http://a:1</url></service></ha>', expect: ['ha.xml:2:19: warning: A: enableStickySession is ineffective: enableLoadBalancing is false'] },
    { desc: 'noFallback without sticky', xml: '<ha>\n<service name="A" enableLoadBalancing="true" noFallback="true"><url>http://a:1</url></service></ha>', expect: ['ha.xml:2:46: warning: A: noFallback is ineffective: enableStickySession is false'] },
    { desc: 'a duplicate service', xml: '<ha>\n  <service name="A"><url>http://a:1</url></service>\n  <service name="A"><url>http://a:2</url></service>\n</ha>', expect: ['ha.xml:3:3: error: duplicate service "A" (first defined at line 2)'] },
    { desc: 'two services on one path', xml: '<ha>\n<service name="A"><url>http://a:1</url></service>\n<service name="B" path="a"><url>http://a:2</url></service></ha>', expect: ['ha.xml:3:19: error: B: path "a" is already used by service "A" (line 2)'] },
    { desc: 'a namespace without an ensemble', xml: '<ha><service name="A" zookeeperNamespace="ns"><url>http://a:1</url></service></ha>', expect: ['ha.xml:1:23: warning: A: zookeeperNamespace is ignored without a zookeeperEnsemble'] },
    { desc: 'urls next to an ensemble (ZooKeeper wins)', xml: '<ha><service name="HIVE" zookeeperEnsemble="127.0.0.1:2181">\n  <url>http://a:1</url></service></ha>', expect: ['ha.xml:2:3: warning: HIVE: the <url>s are ignored: zookeeperEnsemble is set and ZooKeeper wins'] },
    { desc: 'no source at all', xml: '<ha>\n  <service name="A"/>\n</ha>', expect: ['ha.xml:2:3: warning: A: no <url> and no zookeeperEnsemble: the service will answer 503'] },
    { desc: 'a relative URL', xml: '<ha><service name="A"><url>/webhdfs</url></service></ha>', expect: ['ha.xml:1:23: error: A: bad URL: not an absolute URL: "/webhdfs"'] },
    { desc: 'a non-http URL', xml: '<ha><service name="A"><url>ftp://a</url></service></ha>', expect: ['ha.xml:1:23: error: A: bad URL: expected an http or https URL, got "ftp://a"'] },
    { desc: 'a URL with a query', xml: '<ha><service name="A"><url>http://a/x?y=1</url></service></ha>', expect: ['ha.xml:1:23: error: A: bad URL: URL must not have a query: "http://a/x?…"'] },
    { desc: 'a URL with credentials (not echoed)', xml: '<ha><service name="A"><url>http://u:secret@a/</url></service></ha>', expect: ['ha.xml:1:23: error: A: bad URL: URL must not contain credentials'] },
    { desc: 'a URL with a fragment', xml: '<ha><service name="A"><url>http://a/#x</url></service></ha>', expect: ['ha.xml:1:23: error: A: bad URL: URL must not have a fragment: "http://a/?…"'] },
    // Regression (review): a service with a bad value used to be skipped before the duplicate, path and ineffective checks.
    { desc: 'a duplicate of a service that has a bad value', xml: '<ha>\n  <service name="A" enabled="yes"><url>http://a:1</url></service>\n  <service name="A"><url>http://a:2</url></service>\n</ha>', expect: ['ha.xml:2:21: error: A: enabled: expected true or false, got "yes"', 'ha.xml:3:3: error: duplicate service "A" (first defined at line 2)'] },
    { desc: 'a duplicate service that has a bad value', xml: '<ha>\n  <service name="A"><url>http://a:1</url></service>\n  <service name="A" failoverSleep="soon"><url>http://a:2</url></service>\n</ha>', expect: ['ha.xml:3:3: error: duplicate service "A" (first defined at line 2)', 'ha.xml:3:21: error: A: failoverSleep: expected an integer ≥ 0, got "soon"'] },
    { desc: 'a path clash with a service that has a bad value', xml: '<ha>\n<service name="A" failoverSleep="x"><url>http://a:1</url></service>\n<service name="B" path="a"><url>http://a:2</url></service></ha>', expect: ['ha.xml:2:19: error: A: failoverSleep: expected an integer ≥ 0, got "x"', 'ha.xml:3:19: error: B: path "a" is already used by service "A" (line 2)'] },
    { desc: 'an ineffective flag of a service that has a bad value', xml: '<ha>\n<service name="A" enableStickySession="true" failoverSleep="x"><url>http://a:1</url></service></ha>', expect: ['ha.xml:2:19: warning: A: enableStickySession is ineffective: enableLoadBalancing is false', 'ha.xml:2:46: error: A: failoverSleep: expected an integer ≥ 0, got "x"'] },
    { desc: 'no ineffective guess when the switch itself is refused', xml: '<ha>\n<service name="A" enableLoadBalancing="yes" enableStickySession="true"><url>http://a:1</url></service></ha>', expect: ['ha.xml:2:19: error: A: enableLoadBalancing: expected true or false, got "yes"'] },
    { desc: 'no path clash with the default path of a service whose path is refused', xml: '<ha><service name="A" path="bad path"><url>http://a:1</url></service><service name="B" path="a"><url>http://b:1</url></service></ha>', expect: ['ha.xml:1:23: error: A: path: expected one URL path segment of letters, digits and . _ ~ -, got "bad path"'] },
    { desc: 'no "answers 503" guess when the only <url> is refused', xml: '<ha><service name="A"><url>http://a:0</url></service></ha>', expect: ['ha.xml:1:23: error: A: bad URL: port must be 1..65535, got "0": "http://a:0"'] },
    { desc: 'a URL without // (review: http:nn1:50070 was accepted)', xml: '<ha>\n<service name="A"><url>http:nn1:50070</url></service></ha>', expect: ['ha.xml:2:19: error: A: bad URL: expected http://host, got "http:nn1:50070"'] },
    { desc: 'a URL with the host null', xml: '<ha><service name="A"><url>http://null:8080</url></service></ha>', expect: ['ha.xml:1:23: error: A: bad URL: host "null" is not a real host (a bug upstream?): "http://null:8080"'] },
    { desc: 'the same <url> twice in a service', xml: '<ha><service name="A">\n  <url>http://a:1/x</url>\n  <url>http://a:1/x</url>\n</service></ha>', expect: ['ha.xml:3:3: warning: A: duplicate <url> "http://a:1/x" (same backend as line 2): it gets a double share of the round robin and both entries have the same sticky cookie value'] },
    { desc: 'the same backend written two ways', xml: '<ha><service name="A">\n  <url>http://A:80/x</url>\n  <url>http://a/x</url>\n</service></ha>', expect: ['ha.xml:3:3: warning: A: duplicate <url> "http://a/x" (same backend as line 2): it gets a double share of the round robin'] },
    { desc: 'a service without a name', xml: '<ha>\n  <service><url>http://a:1</url></service></ha>', expect: ['ha.xml:2:3: error: <service> without a name attribute'] },
  ];
  for (const c of cases) it(`reports ${c.desc}`, () => expect(lines(c.xml)).to.deep.equal(c.expect));

  it('keeps enabled=false services', () => {
    const r = parseDescriptor('<ha><service name="A" enabled="false"/></ha>', 'x.xml');
    expect(r.diagnostics).to.deep.equal([]);
    expect(r.config?.services[0]?.enabled).to.equal(false);
  });

  it('names the topology after the file', () => {
    expect(parseDescriptor('<ha/>', '/etc/x/sandbox.xml').config).to.deep.include({ name: 'sandbox', kind: 'ha', services: [] });
  });

  it('decodes entities and CDATA in values', () => {
    const r = parseDescriptor('<ha><service name="A" disableLoadBalancingForUserAgents="a&amp;b,&#67;"><url><![CDATA[http://a:1/x]]></url></service></ha>', 'x.xml');
    expect(r.config?.services[0]?.disableLoadBalancingForUserAgents).to.deep.equal(['a&b', 'C']);
    expect(r.config?.services[0]?.urls).to.deep.equal(['http://a:1/x']);
  });

  it('never throws, whatever the input (seeded mutations of a valid file)', () => {
    const base = '<?xml version="1.0"?>\n<ha>\n  <!-- c -->\n  <service name="A" enabled="true"><url>http://a:1</url></service>\n</ha>\n';
    const alphabet = '<>/="\'&;!-[]?x \n';
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    for (let i = 0; i < 2000; i++) {
      const chars = [...base];
      for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) chars[Math.floor(rand() * chars.length)] = alphabet[Math.floor(rand() * alphabet.length)]!;
      const r = parseDescriptor(chars.join(''), 'f.xml');
      expect(r.config === undefined).to.equal(r.diagnostics.some((d) => d.severity === 'error'));
      for (const d of r.diagnostics) expect(d.line).to.be.at.least(1);
    }
  });
});
