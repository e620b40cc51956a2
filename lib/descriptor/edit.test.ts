import { expect } from 'chai';
import { editServiceAttributes, type EditOutcome } from './edit.js';

const commented = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Production HA descriptor: edit with care.
     Owner: data platform team -->
<ha>
    <!-- WebHDFS: active/passive, NameNode HA -->
    <service name="WEBHDFS"   maxFailoverAttempts='3'
             failoverSleep="1000"  enabled="true">
        <url>http://nn1.example.com:50070/webhdfs</url>   <!-- primary -->
        <url>http://nn2.example.com:50070/webhdfs</url>
    </service>

    <!-- HiveServer2 over ZooKeeper -->
    <service name="HIVE" zookeeperEnsemble="127.0.0.1:2181" zookeeperNamespace="hiveserver2"
             enableLoadBalancing="true" enableStickySession="true"/>
</ha>
<!-- trailing comment -->
`;

const textOf = (o: EditOutcome): string => {
  if (o.kind !== 'ok') throw new Error(o.message);
  return o.text;
};

/** The lines that differ between two texts with the same number of lines. */
function changedLines(a: string, b: string): [string, string][] {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(y).to.have.length(x.length);
  return x.map((l, i) => [l, y[i]!] as [string, string]).filter(([l, m]) => l !== m);
}

describe('editServiceAttributes (descriptor set)', () => {
  it('replaces a value in place, keeping quote style; everything else stays byte-identical', () => {
    const out = textOf(editServiceAttributes(commented, 'p.xml', 'WEBHDFS', [{ key: 'maxFailoverAttempts', value: '5' }]));
    expect(changedLines(commented, out)).to.deep.equal([[
      `    <service name="WEBHDFS"   maxFailoverAttempts='3'`, `    <service name="WEBHDFS"   maxFailoverAttempts='5'`,
    ]]);
  });

  it('adds a new attribute at the end of the tag, on the line of the last attribute', () => {
    const out = textOf(editServiceAttributes(commented, 'p.xml', 'HIVE', [{ key: 'noFallback', value: 'true' }]));
    expect(changedLines(commented, out)).to.deep.equal([[
      '             enableLoadBalancing="true" enableStickySession="true"/>',
      '             enableLoadBalancing="true" enableStickySession="true" noFallback="true"/>',
    ]]);
  });

  it('removes an attribute with key= and keeps the layout', () => {
    const out = textOf(editServiceAttributes(commented, 'p.xml', 'WEBHDFS', [{ key: 'enabled', value: '' }]));
    expect(changedLines(commented, out)).to.deep.equal([['             failoverSleep="1000"  enabled="true">', '             failoverSleep="1000">']]);
    const out2 = textOf(editServiceAttributes(commented, 'p.xml', 'HIVE', [{ key: 'enableLoadBalancing', value: '' }, { key: 'enableStickySession', value: '' }]));
    expect(out2).to.contain('zookeeperNamespace="hiveserver2"/>\n');
  });

  it('adds a missing service before </ha> with the file\'s indentation', () => {
    const out = textOf(editServiceAttributes(commented, 'p.xml', 'OOZIE', [{ key: 'enableLoadBalancing', value: 'true' }]));
    expect(out).to.equal(commented.replace('</ha>', '    <service name="OOZIE" enableLoadBalancing="true"/>\n</ha>'));
  });

  it('turns <ha/> into a descriptor with one service', () => {
    const out = textOf(editServiceAttributes('<ha/>\n', 'p.xml', 'A', [{ key: 'zookeeperEnsemble', value: '127.0.0.1:2181' }]));
    expect(out).to.equal('<ha>\n  <service name="A" zookeeperEnsemble="127.0.0.1:2181"/>\n</ha>\n');
  });

  it('escapes XML special characters', () => {
    const out = textOf(editServiceAttributes(commented, 'p.xml', 'WEBHDFS', [{ key: 'disableLoadBalancingForUserAgents', value: 'a&b,"q"' }]));
    expect(out).to.contain(`enabled="true" disableLoadBalancingForUserAgents="a&amp;b,&quot;q&quot;">`);
  });

  const refusals: { desc: string; text?: string; key: string; value: string; message: RegExp }[] = [
    { desc: 'an unknown key, with a did-you-mean', key: 'enableStickySessions', value: 'true', message: /unknown attribute "enableStickySessions"; did you mean "enableStickySession"\?/ },
    { desc: 'a bad boolean', key: 'enabled', value: 'yes', message: /enabled: expected true or false, got "yes"/ },
    { desc: 'a negative integer', key: 'failoverSleep', value: '-1', message: /failoverSleep: must not be negative/ },
    { desc: 'a topology', text: '<topology><gateway/></topology>', key: 'enabled', value: 'true', message: /is a Knox topology; convert it first/ },
  ];
  for (const r of refusals) {
    it(`refuses ${r.desc}`, () => {
      const o = editServiceAttributes(r.text ?? commented, 'p.xml', 'WEBHDFS', [{ key: r.key, value: r.value }]);
      expect(o.kind).to.equal('refused');
      if (o.kind === 'refused') expect(o.message).to.match(r.message);
    });
  }

  // The message is one line; the errors behind it come as diagnostics, not repeated in the message (review).
  it('refuses a result with errors: the message names the file, the diagnostics hold the errors of the result', () => {
    const o = editServiceAttributes(commented, 'p.xml', 'WEBHDFS', [{ key: 'path', value: 'hive' }]);
    expect(o).to.deep.include({ kind: 'refused', message: 'refusing to write p.xml: the result would be invalid' });
    expect(o.diagnostics.map((d) => `${d.line}: ${d.severity}: ${d.message}`)).to.deep.equal(['13: error: HIVE: path "hive" is already used by service "WEBHDFS" (line 6)']);
  });

  it('refuses a malformed file: the message names the file, the diagnostics hold the parser\'s error', () => {
    const o = editServiceAttributes('<ha><service name="A">\n</ha>\n', 'p.xml', 'A', [{ key: 'enabled', value: 'true' }]);
    expect(o).to.deep.include({ kind: 'refused', message: 'cannot edit p.xml: it is not well-formed XML' });
    expect(o.diagnostics.map((d) => `${d.line}:${d.col}: ${d.severity}`)).to.deep.equal(['2:1: error']);
  });

  it('refuses a SERVICE argument that is not a valid service name, before reading the file', () => {
    const o = editServiceAttributes(commented, 'p.xml', 'A B', [{ key: 'enabled', value: 'true' }]);
    expect(o).to.deep.equal({ kind: 'refused', diagnostics: [],
      message: 'p.xml: service "A B": a service name must be a token (letters, digits and !#$%&\'*+-.^_`|~), got "A B"' });
  });
});

describe('editServiceAttributes: line breaks and the root tag', () => {
  // Regression (review): a CRLF file got a bare-LF line for an added service.
  it('uses the file\'s CRLF line break for an added service', () => {
    const crlf = '<?xml version="1.0"?>\r\n<ha>\r\n  <service name="A"><url>http://a:1</url></service>\r\n</ha>\r\n';
    const out = textOf(editServiceAttributes(crlf, 'c.xml', 'B', [{ key: 'failoverSleep', value: '7' }]));
    expect(out).to.equal('<?xml version="1.0"?>\r\n<ha>\r\n  <service name="A"><url>http://a:1</url></service>\r\n  <service name="B" failoverSleep="7"/>\r\n</ha>\r\n');
    expect(out.replace(/\r\n/g, '')).not.to.contain('\n');
  });

  it('uses CRLF when </ha> shares a line with content, and when the root is self-closing', () => {
    expect(textOf(editServiceAttributes('<!-- c -->\r\n<ha><service name="A" enabled="true"/></ha>', 'c.xml', 'B', [{ key: 'enabled', value: 'true' }])))
      .to.equal('<!-- c -->\r\n<ha><service name="A" enabled="true"/>\r\n<service name="B" enabled="true"/>\r\n</ha>');
    expect(textOf(editServiceAttributes('<!-- c -->\r\n<ha/>\r\n', 'c.xml', 'B', [{ key: 'enabled', value: 'true' }])))
      .to.equal('<!-- c -->\r\n<ha>\r\n  <service name="B" enabled="true"/>\r\n</ha>\r\n');
  });

  it('escapes a carriage return in a value, so that it survives attribute-value normalisation', () => {
    const out = textOf(editServiceAttributes('<ha/>', 'c.xml', 'B', [{ key: 'disableLoadBalancingForUserAgents', value: 'a\r\nb' }]));
    expect(out).to.contain('disableLoadBalancingForUserAgents="a&#13;&#10;b"');
  });

  // Regression (review): adding a service to <ha xmlns="urn:x" version="2"/> dropped the root's attributes.
  it('keeps a self-closing root\'s start tag as written when it adds a service', () => {
    const out = textOf(editServiceAttributes('<ha xmlns="urn:x"\n    version=\'2\' />\n', 'r.xml', 'A', [{ key: 'enabled', value: 'true' }]));
    expect(out).to.equal('<ha xmlns="urn:x"\n    version=\'2\' >\n  <service name="A" enabled="true"/>\n</ha>\n');
  });
});
