import { expect } from 'chai';
import { parseDescriptor } from './parse-descriptor.js';
import { ATTRIBUTE_NAMES } from './attributes.js';
import type { ServiceConfig } from '../core/index.js';

/** Parses one service with the given attributes and returns it, or the diagnostics' messages. */
function one(attrs: string): { svc: ServiceConfig | undefined; messages: string[] } {
  const r = parseDescriptor(`<ha>\n  <service name="HIVE" ${attrs}><url>http://h1:10001/cliservice</url></service>\n</ha>\n`, 'x.xml');
  return { svc: r.config?.services[0], messages: r.diagnostics.map((d) => `${d.severity}: ${d.message}`) };
}

describe('descriptor attributes', () => {
  it('fills every default (Knox and ours) when only a name is given', () => {
    const { svc } = one('');
    expect(svc).to.include({
      name: 'HIVE', path: 'hive', enabled: true, maxFailoverAttempts: 3, failoverSleep: 1000,
      zookeeperEnsemble: undefined, zookeeperNamespace: undefined, zookeeperFormat: 'hive',
      enableLoadBalancing: false, enableStickySession: false, stickySessionCookieName: 'KNOX_BACKEND', noFallback: false,
      failoverNonIdempotentRequestEnabled: false, connectTimeout: 5000, responseTimeout: 60000, replayBufferSize: 65536,
      stickySessionCookieMaxAge: undefined, stickySessionCookieSameSite: undefined, stickySessionRankedRoutes: 1,
      loadBalancingPolicy: 'roundRobin',
    });
    expect(svc?.disableLoadBalancingForUserAgents).to.deep.equal(['ClouderaODBCDriverforApacheHive']);
    expect(svc?.cookielessAffinity).to.deep.equal({ kind: 'pinned' });
    expect(svc?.effective).to.deep.equal({ loadBalancing: false, stickySession: false, noFallback: false });
  });

  const cases: { desc: string; attrs: string; expect: Partial<Record<keyof ServiceConfig, unknown>> | string }[] = [
    { desc: 'booleans accept any case', attrs: 'enabled="FALSE" enableLoadBalancing="True"', expect: { enabled: false, enableLoadBalancing: true } },
    { desc: 'booleans are trimmed (Knox reads " true" as false)', attrs: 'enableLoadBalancing=" true "', expect: { enableLoadBalancing: true } },
    { desc: 'a blank value means the default (Knox)', attrs: 'enabled="  " maxFailoverAttempts=""', expect: { enabled: true, maxFailoverAttempts: 3 } },
    { desc: 'a non-boolean is an error, not false', attrs: 'enabled="yes"', expect: 'error: HIVE: enabled: expected true or false, got "yes"' },
    { desc: '1 is not a boolean', attrs: 'noFallback="1"', expect: 'error: HIVE: noFallback: expected true or false, got "1"' },
    { desc: 'integers are trimmed (Knox throws on " 3")', attrs: 'maxFailoverAttempts=" 5 "', expect: { maxFailoverAttempts: 5 } },
    { desc: '"+5" parses as in Java', attrs: 'failoverSleep="+5"', expect: { failoverSleep: 5 } },
    { desc: 'zero failover attempts are allowed (KNOX-2478)', attrs: 'maxFailoverAttempts="0"', expect: { maxFailoverAttempts: 0 } },
    { desc: '"3.0" is an error', attrs: 'maxFailoverAttempts="3.0"', expect: 'error: HIVE: maxFailoverAttempts: expected an integer ≥ 0, got "3.0"' },
    { desc: '"abc" is an error', attrs: 'failoverSleep="abc"', expect: 'error: HIVE: failoverSleep: expected an integer ≥ 0, got "abc"' },
    { desc: 'negative numbers are errors', attrs: 'maxFailoverAttempts="-1"', expect: 'error: HIVE: maxFailoverAttempts: must not be negative, got "-1"' },
    { desc: 'an int overflow is an error', attrs: 'failoverSleep="2147483648"', expect: 'error: HIVE: failoverSleep: integer out of range (at most 2147483647), got "2147483648"' },
    { desc: 'ensemble and namespace are trimmed, the namespace loses its slashes', attrs: 'zookeeperEnsemble=" h1:2181,h2:2181/chroot " zookeeperNamespace="/hiveserver2/"', expect: { zookeeperEnsemble: 'h1:2181,h2:2181/chroot', zookeeperNamespace: 'hiveserver2' } },
    { desc: 'cookie name', attrs: 'stickySessionCookieName="MY_COOKIE"', expect: { stickySessionCookieName: 'MY_COOKIE' } },
    { desc: 'a cookie name must be a token', attrs: 'stickySessionCookieName="a b"', expect: 'error: HIVE: stickySessionCookieName: a cookie name must be a token (letters, digits and !#$%&\'*+-.^_`|~), got "a b"' },
    { desc: 'user agents are split on commas and trimmed', attrs: 'disableLoadBalancingForUserAgents=" A , B C,D "', expect: { disableLoadBalancingForUserAgents: ['A', 'B C', 'D'] } },
    { desc: 'failoverNonIdempotentRequestEnabled', attrs: 'failoverNonIdempotentRequestEnabled="true"', expect: { failoverNonIdempotentRequestEnabled: true } },
    { desc: 'path', attrs: 'path="hs2"', expect: { path: 'hs2' } },
    { desc: 'path must be one segment', attrs: 'path="a/b"', expect: 'error: HIVE: path: expected one URL path segment of letters, digits and . _ ~ -, got "a/b"' },
    { desc: 'zookeeperFormat is case-insensitive', attrs: 'zookeeperFormat="Curator"', expect: { zookeeperFormat: 'curator' } },
    { desc: 'zookeeperFormat must be known', attrs: 'zookeeperFormat="xml"', expect: 'error: HIVE: zookeeperFormat: expected one of hive, hbase, kafka, solr, atlas, curator, url, got "xml"' },
    { desc: 'timeouts', attrs: 'connectTimeout="100" responseTimeout="2000"', expect: { connectTimeout: 100, responseTimeout: 2000 } },
    { desc: 'a zero timeout is an error', attrs: 'connectTimeout="0"', expect: 'error: HIVE: connectTimeout: must be at least 1, got "0"' },
    { desc: 'replay buffer may be 0', attrs: 'replayBufferSize="0"', expect: { replayBufferSize: 0 } },
    { desc: 'cookie Max-Age', attrs: 'enableLoadBalancing="true" enableStickySession="true" stickySessionCookieMaxAge="3600"', expect: { stickySessionCookieMaxAge: 3600 } },
    { desc: 'a zero Max-Age is an error (browsers would drop the cookie at once)', attrs: 'stickySessionCookieMaxAge="0"', expect: 'error: HIVE: stickySessionCookieMaxAge: must be at least 1, got "0"' },
    { desc: 'SameSite is canonicalised', attrs: 'enableLoadBalancing="true" enableStickySession="true" stickySessionCookieSameSite="lax"', expect: { stickySessionCookieSameSite: 'Lax' } },
    { desc: 'SameSite must be known', attrs: 'stickySessionCookieSameSite="Sometimes"', expect: 'error: HIVE: stickySessionCookieSameSite: expected one of Strict, Lax, None, got "Sometimes"' },
    { desc: 'ranked routes', attrs: 'enableLoadBalancing="true" enableStickySession="true" stickySessionRankedRoutes="2"', expect: { stickySessionRankedRoutes: 2 } },
    { desc: 'ranked routes at least 1', attrs: 'stickySessionRankedRoutes="0"', expect: 'error: HIVE: stickySessionRankedRoutes: must be at least 1, got "0"' },
    { desc: 'ranked routes at most 15 (regression: 16 made cookies too long to read back)', attrs: 'stickySessionRankedRoutes="16"', expect: 'error: HIVE: stickySessionRankedRoutes: must be at most 15 (a longer sticky cookie could not be read back), got "16"' },
    { desc: 'ranked routes 15', attrs: 'enableLoadBalancing="true" enableStickySession="true" stickySessionRankedRoutes="15"', expect: { stickySessionRankedRoutes: 15 } },
    { desc: 'policy is canonicalised', attrs: 'enableLoadBalancing="true" loadBalancingPolicy="LEASTREQUESTS"', expect: { loadBalancingPolicy: 'leastRequests' } },
    { desc: 'policy must be known', attrs: 'loadBalancingPolicy="fastest"', expect: 'error: HIVE: loadBalancingPolicy: expected one of roundRobin, leastRequests, random, got "fastest"' },
    { desc: 'cookieless affinity client-ip', attrs: 'cookielessAffinity="client-ip"', expect: { cookielessAffinity: { kind: 'client-ip' } } },
    { desc: 'cookieless affinity header', attrs: 'cookielessAffinity="header:X-Client-Id"', expect: { cookielessAffinity: { kind: 'header', name: 'X-Client-Id' } } },
    { desc: 'cookieless affinity header needs a token', attrs: 'cookielessAffinity="header:a b"', expect: 'error: HIVE: cookielessAffinity: header:NAME needs an HTTP header name, got "header:a b"' },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const { svc, messages } = one(c.attrs);
      if (typeof c.expect === 'string') {
        expect(messages).to.include(c.expect);
        expect(svc).to.equal(undefined);
      } else {
        expect(messages.filter((m) => m.startsWith('error'))).to.deep.equal([]);
        for (const [k, v] of Object.entries(c.expect)) expect(svc?.[k as keyof ServiceConfig], k).to.deep.equal(v);
      }
    });
  }

  it('has a test case for every attribute', () => {
    const covered = new Set(cases.flatMap((c) => [...c.attrs.matchAll(/(\w+)=/g)].map((m) => m[1])));
    expect(ATTRIBUTE_NAMES.filter((n) => n !== 'name' && !covered.has(n))).to.deep.equal([]);
  });

  it('derives the ZooKeeper format from the role as Knox does', () => {
    const r = parseDescriptor(`<ha>${['HIVE', 'WEBHBASE', 'KAFKA', 'SOLR', 'ATLAS', 'ATLAS-API', 'OOZIE']
      .map((n) => `<service name="${n}" zookeeperEnsemble="127.0.0.1:2181"/>`).join('')}</ha>`, 'z.xml');
    expect(r.config?.services.map((s) => s.zookeeperFormat)).to.deep.equal(['hive', 'hbase', 'kafka', 'solr', 'atlas', 'atlas', 'url']);
  });
});
