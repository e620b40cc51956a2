import { expect } from 'chai';
import type { CookielessAffinity, ServiceConfig } from '../core/index.js';
import { parseDescriptor } from './parse-descriptor.js';
import { makeServiceConfig, type ServiceConfigInput } from './service-config.js';
import { storeDescriptor } from './store.js';
import { seededRandom } from '../../test/helpers/seeded-random.js';

/** Every run generates the same configs. */
const prng = seededRandom;

function generator(seed: number) {
  const r = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const maybe = <T>(f: () => T): T | undefined => (r() < 0.5 ? f() : undefined);
  const word = (chars: string, min: number, max: number): string => Array.from({ length: int(min, max) }, () => pick([...chars])).join('');
  const token = (): string => word('ABCXYZabcxyz0189_-.!#$%&\'*+^`|~', 1, 12);
  const text = (): string => word('abc XYZ&<>"\'é;=/:.', 0, 10).trim() || 'x';
  const affinity = (): CookielessAffinity => pick<CookielessAffinity>([{ kind: 'pinned' }, { kind: 'client-ip' }, { kind: 'header', name: token() }]);
  return (index: number): ServiceConfig => {
    const name = `${pick(['HIVE', 'WEBHDFS', 'OOZIE', 'WEBHBASE', 'KAFKA', 'SOLR', 'ATLAS', 'ATLAS-API', 'Svc'])}${index}`;
    const input: { -readonly [K in keyof ServiceConfigInput]: ServiceConfigInput[K] } = { name };
    const set = <K extends keyof ServiceConfigInput>(k: K, f: () => ServiceConfigInput[K]): void => {
      const v = maybe(f);
      if (v !== undefined) input[k] = v;
    };
    set('path', () => `p${index}-${word('abc._~-', 0, 5)}`);
    set('enabled', () => r() < 0.5);
    set('maxFailoverAttempts', () => int(0, 2 ** 31 - 1));
    set('failoverSleep', () => int(0, 100000));
    set('zookeeperEnsemble', () => `${word('abc', 1, 4)}:2181,${word('xyz', 1, 4)}:2182${pick(['', '/chroot'])}`);
    set('zookeeperNamespace', () => word('abcdef', 1, 6) + pick(['', '/sub']));
    set('zookeeperFormat', () => pick(['hive', 'hbase', 'kafka', 'solr', 'atlas', 'curator', 'url'] as const));
    set('enableLoadBalancing', () => r() < 0.5);
    set('enableStickySession', () => r() < 0.5);
    set('stickySessionCookieName', token);
    set('noFallback', () => r() < 0.5);
    set('disableLoadBalancingForUserAgents', () => Array.from({ length: int(1, 3) }, text));
    set('failoverNonIdempotentRequestEnabled', () => r() < 0.5);
    set('connectTimeout', () => int(1, 100000));
    set('responseTimeout', () => int(1, 100000));
    set('replayBufferSize', () => int(0, 1 << 20));
    set('stickySessionCookieMaxAge', () => int(1, 86400));
    set('stickySessionCookieSameSite', () => pick(['Strict', 'Lax', 'None'] as const));
    set('stickySessionRankedRoutes', () => int(1, 5));
    set('loadBalancingPolicy', () => pick(['roundRobin', 'leastRequests', 'random'] as const));
    set('cookielessAffinity', affinity);
    set('urls', () => Array.from({ length: int(1, 3) }, (_, i) => `${pick(['http', 'https'])}://h${i}.example.com:${int(1, 65535)}/${word('abc/&', 0, 6)}`));
    return makeServiceConfig(input);
  };
}

describe('storeDescriptor', () => {
  it('round-trips generated descriptors: parse(store(d)) equals d (500 seeded configs)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const gen = generator(seed);
      const services = Array.from({ length: 1 + (seed % 4) }, (_, i) => gen(i));
      const xml = storeDescriptor(services);
      const r = parseDescriptor(xml, 'gen.xml');
      expect(r.diagnostics.filter((d) => d.severity === 'error'), `seed ${seed}\n${xml}`).to.deep.equal([]);
      expect(r.config?.services, `seed ${seed}\n${xml}`).to.deep.equal(services);
      expect(storeDescriptor(r.config!.services), `seed ${seed}`).to.equal(xml);
    }
  });

  const knoxWritten = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ha>
  <service disableLoadBalancingForUserAgents="ClouderaODBCDriverforApacheHive" enableLoadBalancing="true" enableStickySession="true" enabled="true" failoverNonIdempotentRequestEnabled="false" failoverSleep="1000" maxFailoverAttempts="3" name="HIVE" noFallback="false" stickySessionCookieName="KNOX_BACKEND" zookeeperEnsemble="h1:2181,h2:2181" zookeeperNamespace="hiveserver2"/>
  <service disableLoadBalancingForUserAgents="ClouderaODBCDriverforApacheHive" enableLoadBalancing="false" enableStickySession="false" enabled="true" failoverNonIdempotentRequestEnabled="false" failoverSleep="500" maxFailoverAttempts="5" name="OOZIE" noFallback="false" stickySessionCookieName="KNOX_BACKEND"/>
</ha>
`;

  it('loads a file Knox wrote unchanged, and stores it back byte for byte', () => {
    const r = parseDescriptor(knoxWritten, 'knox.xml');
    expect(r.diagnostics.map((d) => d.message)).to.deep.equal(['OOZIE: no <url> and no zookeeperEnsemble: the service will answer 503']);
    expect(r.config?.services[0]).to.include({ name: 'HIVE', enableLoadBalancing: true, enableStickySession: true, zookeeperEnsemble: 'h1:2181,h2:2181', zookeeperNamespace: 'hiveserver2' });
    expect(r.config?.services[0]?.effective).to.deep.equal({ loadBalancing: true, stickySession: true, noFallback: false });
    expect(r.config?.services[1]).to.include({ name: 'OOZIE', maxFailoverAttempts: 5, failoverSleep: 500 });
    expect(storeDescriptor(r.config!.services)).to.equal(knoxWritten);
  });

  it('loads Knox test-style XML: single quotes, legacy failoverLimit (ignored, warned)', () => {
    const r = parseDescriptor("<ha><service name='foo' maxFailoverAttempts='42' failoverSleep='21' failoverLimit='3' enabled='true'/></ha>", 'k.xml');
    expect(r.config?.services[0]).to.include({ name: 'foo', maxFailoverAttempts: 42, failoverSleep: 21, enabled: true });
    expect(r.diagnostics.map((d) => d.message)).to.deep.equal([
      'foo: no <url> and no zookeeperEnsemble: the service will answer 503',
      'foo: attribute "failoverLimit" was removed from Knox and is ignored (npm run migrate drops it)',
    ]);
  });

  it('writes every attribute Knox always writes, sorted, and extensions only when not default', () => {
    const xml = storeDescriptor([makeServiceConfig({ name: 'WEBHDFS', urls: ['http://nn1:50070/webhdfs'], connectTimeout: 250 })]);
    const attrs = [...(/<service ([^>]*)>/.exec(xml)?.[1] ?? '').matchAll(/(\w+)="/g)].map((m) => m[1]);
    expect(attrs).to.deep.equal(['connectTimeout', 'disableLoadBalancingForUserAgents', 'enableLoadBalancing', 'enableStickySession', 'enabled',
      'failoverNonIdempotentRequestEnabled', 'failoverSleep', 'maxFailoverAttempts', 'name', 'noFallback', 'stickySessionCookieName']);
    expect(xml).to.contain('\n    <url>http://nn1:50070/webhdfs</url>\n  </service>\n');
  });

  it('stores an empty descriptor as <ha/>', () => {
    expect(storeDescriptor([])).to.equal('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ha/>\n');
  });
});
