import { expect } from 'chai';
import { parseParamString } from './param-string.js';
import { parseDescriptor } from './parse-descriptor.js';
import type { ServiceConfig } from '../core/index.js';

const pairsOf = (s: string): Record<string, string> => Object.fromEntries(parseParamString(s).pairs.map((p) => [p.key, p.value]));

/** A topology whose HaProvider has one param for OOZIE with `value`. */
function topology(value: string): string {
  return `<topology>
  <gateway>
    <provider><role>ha</role><name>HaProvider</name><enabled>true</enabled>
      <param><name>OOZIE</name><value>${value}</value></param>
    </provider>
  </gateway>
  <service><role>OOZIE</role><url>http://sandbox1:11000/oozie</url><url>http://sandbox2:11000/oozie</url></service>
</topology>`;
}

function oozie(value: string): { svc: ServiceConfig | undefined; messages: string[] } {
  const r = parseDescriptor(topology(value), 'sandbox.xml');
  return { svc: r.config?.services[0], messages: r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.severity}: ${d.message}`) };
}

describe('parseParamString (Knox grammar, notes/knox.md §2.4, keys and values trimmed)', () => {
  const table: { desc: string; input: string; pairs: Record<string, string>; problems?: number }[] = [
    { desc: 'plain pairs', input: 'enabled=true;maxFailoverAttempts=3', pairs: { enabled: 'true', maxFailoverAttempts: '3' } },
    { desc: 'empty string', input: '', pairs: {} },
    { desc: 'only separators', input: ';;', pairs: {} },
    { desc: '"enabled=" is dropped (one token)', input: 'enabled=', pairs: {}, problems: 1 },
    { desc: '"=true" has an empty key and is dropped', input: '=true', pairs: {}, problems: 1 },
    { desc: '"a=b=c" is dropped (three tokens)', input: 'a=b=c', pairs: {}, problems: 1 },
    { desc: '"a=b=" keeps a=b (Java drops trailing empty tokens)', input: 'a=b=', pairs: { a: 'b' } },
    { desc: 'keys and values are trimmed (Knox would not recognise the key)', input: ' enabled = true ', pairs: { enabled: 'true' } },
    { desc: 'a trailing ; is harmless', input: 'maxFailoverAttempts=3;', pairs: { maxFailoverAttempts: '3' } },
    { desc: 'newlines around ; and = are fine for us', input: '\n  enabled=true;\n  failoverSleep =\n 500\n', pairs: { enabled: 'true', failoverSleep: '500' } },
    { desc: 'the ensemble is kept verbatim', input: 'zookeeperEnsemble=h1:2181,h2:2181;zookeeperNamespace=hiveserver2', pairs: { zookeeperEnsemble: 'h1:2181,h2:2181', zookeeperNamespace: 'hiveserver2' } },
  ];
  for (const c of table) {
    it(c.desc, () => {
      expect(pairsOf(c.input)).to.deep.equal(c.pairs);
      expect(parseParamString(c.input).problems).to.have.length(c.problems ?? 0);
    });
  }

  it('gives the offset of each trimmed key', () => {
    expect(parseParamString('a=1; b=2').pairs.map((p) => p.offset)).to.deep.equal([0, 5]);
  });
});

describe('Knox topology parameters', () => {
  it('applies the doc example (knox-site service_default_ha.md)', () => {
    const { svc, messages } = oozie('maxFailoverAttempts=3;failoverSleep=1000;enabled=true');
    expect(messages).to.deep.equal([]);
    expect(svc).to.include({ name: 'OOZIE', maxFailoverAttempts: 3, failoverSleep: 1000, enabled: true });
    expect(svc?.urls).to.deep.equal(['http://sandbox1:11000/oozie', 'http://sandbox2:11000/oozie']);
  });
  it('reads TRUE as true', () => expect(oozie('enabled=TRUE').svc?.enabled).to.equal(true));
  it('refuses enabled=yes (Knox: false) with the position of the key', () => {
    expect(oozie('enableLoadBalancing=true;enabled=yes').messages).to.deep.equal(['4:64: error: OOZIE: enabled: expected true or false, got "yes"']);
  });
  it('lets the last duplicate win, with a warning', () => {
    const { svc, messages } = oozie('enabled=true;enabled=false');
    expect(svc?.enabled).to.equal(false);
    expect(messages).to.deep.equal(['4:52: warning: OOZIE: key "enabled" given twice; the last value wins']);
  });
  it('refuses maxFailoverAttempts=abc (Knox: deployment fails)', () => {
    expect(oozie('maxFailoverAttempts=abc').messages[0]).to.match(/error: OOZIE: maxFailoverAttempts: expected an integer/);
  });
  it('trims the user-agent list and warns about the removed retrySleep', () => {
    const { svc, messages } = oozie('disableLoadBalancingForUserAgents=Test User Agent, Test User Agent2,Test User Agent3 ,Test User Agent4 ;retrySleep=1000');
    expect(svc?.disableLoadBalancingForUserAgents).to.deep.equal(['Test User Agent', 'Test User Agent2', 'Test User Agent3', 'Test User Agent4']);
    expect(messages).to.deep.equal(['4:143: warning: OOZIE: key "retrySleep" was removed from Knox and is ignored (npm run migrate drops it)']);
  });
  it('warns about an empty user-agent entry (Knox would disable load balancing for everyone)', () => {
    const { svc, messages } = oozie('disableLoadBalancingForUserAgents=a,,b');
    expect(svc?.disableLoadBalancingForUserAgents).to.deep.equal(['a', 'b']);
    expect(messages[0]).to.match(/warning: OOZIE: disableLoadBalancingForUserAgents: empty entry dropped/);
  });
  it('warns about an unknown key with a did-you-mean', () => {
    expect(oozie('enableStickySessions=true').messages).to.deep.equal([
      '4:39: warning: OOZIE: unknown key "enableStickySessions" is ignored, as Knox does; did you mean "enableStickySession"?',
    ]);
  });
  it('warns about pieces Knox drops silently', () => {
    expect(oozie('enabled=;a=b=c;=true').messages.map((m) => m.replace(/^\S+ /, ''))).to.deep.equal([
      'warning: OOZIE: "enabled=" is ignored: expected key=value',
      'warning: OOZIE: "a=b=c" is ignored: more than one "="',
      'warning: OOZIE: "=true" is ignored: empty key',
    ]);
  });
  it('applies the five service-level overrides and warns about others', () => {
    const xml = topology('enableLoadBalancing=true;maxFailoverAttempts=3').replace('</service>',
      '<param><name>haEnabled</name><value>false</value></param><param><name>maxFailoverAttempts</name><value>7</value></param>'
      + '<param><name>failoverSleep</name><value>50</value></param><param><name>enableStickySession</name><value>true</value></param></service>');
    const r = parseDescriptor(xml, 't.xml');
    expect(r.config?.services[0]).to.include({ enabled: false, maxFailoverAttempts: 7, failoverSleep: 50, enableLoadBalancing: true, enableStickySession: false });
    expect(r.diagnostics.map((d) => d.message)).to.deep.equal(['OOZIE: Knox ignores service-level param "enableStickySession"; set it in the HaProvider param for OOZIE']);
  });
  it('serves a service without an HA param with defaults (a note), and an HA param without a service element', () => {
    const xml = topology('zookeeperEnsemble=127.0.0.1:2181').replace('OOZIE</name>', 'HIVE</name>')
      .replace('</topology>', '<service><role>KNOXSSO</role></service></topology>');
    const r = parseDescriptor(xml, 't.xml');
    expect(r.config?.services.map((s) => [s.name, s.source.kind])).to.deep.equal([['OOZIE', 'static'], ['HIVE', 'zookeeper']]);
    expect(r.notes).to.have.length(2);
    expect(r.diagnostics).to.deep.equal([]);
  });
  it('ignores the params of a disabled HaProvider, with a warning', () => {
    const r = parseDescriptor(topology('enableLoadBalancing=true').replace('<enabled>true', '<enabled>false'), 't.xml');
    expect(r.config?.services[0]?.enableLoadBalancing).to.equal(false);
    expect(r.diagnostics.map((d) => d.message)[0]).to.match(/HaProvider is disabled/);
  });
});
