import { expect } from 'chai';
import { checkBackendUrl as checkDescriptorUrl } from '../../descriptor/index.js';
import { parseZnodes, layoutFor, checkBackendUrl } from './index.js';
import type { ZnodeChild } from './types.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const urls = (r: { backends: readonly { url: string }[] }): string[] => r.backends.map((e) => e.url);

function hiveData(host: string | undefined, port: number, path: string, ssl: boolean, extra = ''): string {
  return `hive.server2.authentication=NONE;hive.server2.transport.mode=http;hive.server2.thrift.http.path=${path};` +
    `hive.server2.thrift.http.port=${port};${host === undefined ? '' : `hive.server2.thrift.bind.host=${host};`}hive.server2.use.SSL=${ssl}${extra}`;
}

describe('discovery formats', () => {
  describe('hive', () => {
    it('reads Knox HS2ZookeeperURLManagerTest data (notes/knox.md §3.4)', () => {
      const children: ZnodeChild[] = [
        { name: 'host4', data: b(hiveData('host4', 10004, 'cliservice', true)) },
        { name: 'host3', data: b(hiveData('host3', 10003, 'cliservice', false)) },
        { name: 'host2', data: b(hiveData('host2', 10002, 'foobar', false)) },
        { name: 'host1', data: b(hiveData('host1', 10001, 'cliservice', true)) },
      ];
      const r = parseZnodes('hive', children, { parentPath: '/hiveServer2' });
      expect(urls(r)).to.deep.equal(['https://host1:10001/cliservice', 'http://host2:10002/foobar', 'http://host3:10003/cliservice', 'https://host4:10004/cliservice']);
      expect(r.backends[0]?.znode).to.equal('/hiveServer2/host1');
      expect(r.warnings).to.deep.equal([]);
    });

    it('reads HiveServer2 3.x sequential znodes with Kerberos keys and ignores the child names', () => {
      const data = 'hive.server2.instance.uri=hs2-a.example.com:10001;hive.server2.authentication=KERBEROS;hive.server2.transport.mode=http;' +
        'hive.server2.thrift.http.path=cliservice;hive.server2.thrift.sasl.qop=auth;hive.server2.thrift.bind.host=hs2-a.example.com;' +
        'hive.server2.thrift.http.port=10001;hive.server2.use.SSL=true;hive.server2.authentication.kerberos.principal=hive/_HOST@EXAMPLE.COM';
      const r = parseZnodes('hive', [
        { name: 'serverUri=hs2-b.example.com:10001;version=3.1.3000.7.1.7.0-551;sequence=0000000012', data: b(data.replaceAll('hs2-a', 'hs2-b')) },
        { name: 'serverUri=hs2-a.example.com:10001;version=3.1.3000.7.1.7.0-551;sequence=0000000011', data: b(data) },
      ], { parentPath: '/hiveserver2' });
      expect(urls(r)).to.deep.equal(['https://hs2-a.example.com:10001/cliservice', 'https://hs2-b.example.com:10001/cliservice']);
    });

    it('applies the defaults (port 10001, path cliservice, http) and trims whitespace', () => {
      const r = parseZnodes('hive', [{ name: 'a', data: b(' hive.server2.thrift.bind.host = h1 ; hive.server2.thrift.http.path=/x/y ') }], { parentPath: '/hs2' });
      expect(urls(r)).to.deep.equal(['http://h1:10001/x/y']);
      const d = parseZnodes('hive', [{ name: 'a', data: b('hive.server2.thrift.bind.host=h1') }], { parentPath: '/hs2' });
      expect(urls(d)).to.deep.equal(['http://h1:10001/cliservice']);
    });

    it('skips binary-mode instances, children without bind host (never http://null) and bad ports, one warning each', () => {
      const r = parseZnodes('hive', [
        { name: 'bin', data: b('hive.server2.thrift.bind.host=h1;hive.server2.transport.mode=binary;hive.server2.thrift.port=10000') },
        { name: 'leader', data: undefined },
        { name: 'nohost', data: b(hiveData(undefined, 10001, 'cliservice', false)) },
        { name: 'badport', data: b(hiveData('h3', 70000, 'cliservice', false)) },
        { name: 'nullhost', data: b(hiveData('null', 10001, 'cliservice', false)) },
        { name: 'ok', data: b(hiveData('h4', 10001, 'cliservice', false)) },
      ], { parentPath: '/hiveserver2' });
      expect(urls(r)).to.deep.equal(['http://h4:10001/cliservice']);
      expect(r.warnings).to.have.length(5);
      for (const z of ['bin', 'leader', 'nohost', 'badport', 'nullhost']) expect(r.warnings.some((w) => w.includes(`/hiveserver2/${z}:`))).to.equal(true, z);
      expect(r.warnings.join('\n')).not.to.include('http://null');
    });

    it('brackets IPv6 bind hosts', () => {
      const r = parseZnodes('hive', [{ name: 'a', data: b(hiveData('::1', 10001, 'cliservice', false)) }], { parentPath: '/hs2' });
      expect(urls(r)).to.deep.equal(['http://[::1]:10001/cliservice']);
    });
  });

  describe('hbase', () => {
    it('turns host,port,startcode names into http://host:8080 (Knox code comment example)', () => {
      const r = parseZnodes('hbase', [{ name: 'host1,16020,1505763958072', data: undefined }, { name: 'host2,16020,1505763958073', data: undefined }], { parentPath: '/hbase-unsecure/rs' });
      expect(urls(r)).to.deep.equal(['http://host1:8080', 'http://host2:8080']);
      expect(r.backends[0]?.znode).to.equal('/hbase-unsecure/rs/host1,16020,1505763958072');
    });

    it('skips names without commas instead of failing the whole lookup (Knox throws)', () => {
      const r = parseZnodes('hbase', [{ name: 'garbage', data: undefined }, { name: 'h,1,2', data: undefined }], { parentPath: '/hbase/rs' });
      expect(urls(r)).to.deep.equal(['http://h:8080']);
      expect(r.warnings).to.have.length(1);
      expect(r.warnings[0]).to.include('/hbase/rs/garbage');
    });

    it('reads {ns}/rs, else /hbase-secure/rs then /hbase-unsecure/rs', () => {
      expect(layoutFor('hbase', 'hbase-secure')).to.deep.equal({ kind: 'children', paths: ['/hbase-secure/rs'], readData: false });
      expect(layoutFor('hbase', undefined)).to.deep.equal({ kind: 'children', paths: ['/hbase-secure/rs', '/hbase-unsecure/rs'], readData: false });
    });
  });

  describe('kafka', () => {
    it('reads the broker data from the Knox code comment', () => {
      const data = '{"jmx_port":-1,"timestamp":"1505763958072","endpoints":["PLAINTEXT://host:6667"],"host":"host","version":3,"port":6667}';
      const r = parseZnodes('kafka', [{ name: '1001', data: b(data) }], { parentPath: '/brokers/ids' });
      expect(urls(r)).to.deep.equal(['http://host:8082']);
      expect(r.backends[0]?.znode).to.equal('/brokers/ids/1001');
    });

    it('uses the first endpoint when host is null (listeners), never http://null:8082', () => {
      const data = '{"listener_security_protocol_map":{"SASL_SSL":"SASL_SSL","PLAINTEXT":"PLAINTEXT"},"endpoints":["SASL_SSL://kafka-2.example.com:9093","PLAINTEXT://kafka-2.example.com:9092"],' +
        '"jmx_port":9999,"features":{},"host":null,"timestamp":"1700000000000","port":-1,"version":5}';
      const v6 = '{"endpoints":["PLAINTEXT://[fe80::1]:9092"],"host":null,"port":-1,"version":4}';
      const r = parseZnodes('kafka', [{ name: '2', data: b(data) }, { name: '3', data: b(v6) }], { parentPath: '/brokers/ids' });
      expect(urls(r)).to.deep.equal(['http://kafka-2.example.com:8082', 'http://[fe80::1]:8082']);
    });

    it('skips brokers with neither host nor endpoints, and non-JSON data', () => {
      const r = parseZnodes('kafka', [
        { name: '1', data: b('{"host":null,"endpoints":[]}') }, { name: '2', data: b('not json') },
        { name: '3', data: b('[1,2]') }, { name: '4', data: b('{"endpoints":["PLAINTEXT://:9092"],"host":null}') }, { name: '5', data: undefined },
      ], { parentPath: '/brokers/ids' });
      expect(r.backends).to.deep.equal([]);
      expect(r.warnings).to.have.length(5);
    });
  });

  describe('solr', () => {
    it('reads Knox SOLRZookeeperURLManagerTest names', () => {
      const r = parseZnodes('solr', ['host3:8983_solr', 'host1:8983_solr', 'host2:8983_solr'].map((name) => ({ name, data: undefined })), { parentPath: '/live_nodes' });
      expect(urls(r)).to.deep.equal(['http://host1:8983/solr', 'http://host2:8983/solr', 'http://host3:8983/solr']);
    });

    it('keeps underscores in host names and turns those of the context into slashes', () => {
      const r = parseZnodes('solr', [{ name: 'solr_1.example.com:8983_a_b', data: undefined }, { name: '10.0.0.5:7574', data: undefined }], { parentPath: '/live_nodes' });
      expect(urls(r)).to.deep.equal(['http://10.0.0.5:7574', 'http://solr_1.example.com:8983/a/b']);
    });

    it('skips names that are not host:port_context', () => {
      const r = parseZnodes('solr', [{ name: 'nonsense', data: undefined }, { name: 'h:99999_solr', data: undefined }], { parentPath: '/live_nodes' });
      expect(r.backends).to.deep.equal([]);
      expect(r.warnings).to.have.length(2);
    });
  });

  describe('atlas', () => {
    it('uses active_server_info data verbatim (Knox AtlasZookeeperURLManagerTest)', () => {
      const r = parseZnodes('atlas', [{ name: 'active_server_info', data: b('http://atlas.node1:21000') }], { parentPath: '/apache_atlas' });
      expect(urls(r)).to.deep.equal(['http://atlas.node1:21000']);
      expect(r.backends[0]?.znode).to.equal('/apache_atlas/active_server_info');
      expect(layoutFor('atlas', undefined)).to.deep.equal({ kind: 'node', parentPath: '/apache_atlas', name: 'active_server_info' });
    });

    it('skips empty or non-URL data', () => {
      expect(parseZnodes('atlas', [{ name: 'active_server_info', data: b('') }], { parentPath: '/apache_atlas' }).warnings).to.have.length(1);
      expect(parseZnodes('atlas', [{ name: 'active_server_info', data: b('atlas.node1:21000') }], { parentPath: '/apache_atlas' }).backends).to.deep.equal([]);
    });
  });

  describe('curator', () => {
    const instance = (o: Record<string, unknown>): Buffer => b(JSON.stringify({
      name: 'whoami', id: 'f3b1', address: '10.20.30.40', port: 1234, sslPort: null, payload: null,
      registrationTimeUTC: 1325129459728, serviceType: 'DYNAMIC', uriSpec: null, ...o,
    }));

    it('builds the URL from uriSpec (Curator UriSpec variables)', () => {
      const spec = { parts: [{ value: 'scheme', variable: true }, { value: '://', variable: false }, { value: 'address', variable: true },
        { value: ':', variable: false }, { value: 'port', variable: true }, { value: '/api/', variable: false }, { value: 'name', variable: true }] };
      const r = parseZnodes('curator', [{ name: 'f3b1', data: instance({ uriSpec: spec }) }], { parentPath: '/services/whoami' });
      expect(urls(r)).to.deep.equal(['http://10.20.30.40:1234/api/whoami']);
    });

    it('falls back to https://address:sslPort, then http://address:port', () => {
      const r = parseZnodes('curator', [
        { name: 'a', data: instance({ sslPort: 8443 }) }, { name: 'b', data: instance({ address: 'h2' }) },
        { name: 'c', data: instance({ address: '::1', port: 80 }) },
      ], { parentPath: '/s' });
      expect(urls(r)).to.deep.equal(['https://10.20.30.40:8443', 'http://h2:1234', 'http://[::1]:80']);
    });

    it('skips disabled instances silently and broken ones with a warning', () => {
      const r = parseZnodes('curator', [
        { name: 'off', data: instance({ enabled: false }) }, { name: 'noport', data: instance({ port: null }) },
        { name: 'var', data: instance({ uriSpec: { parts: [{ value: 'nope', variable: true }] } }) }, { name: 'noaddr', data: instance({ address: null }) },
      ], { parentPath: '/s' });
      expect(r.backends).to.deep.equal([]);
      expect(r.warnings).to.have.length(3);
    });
  });

  describe('url', () => {
    it('reads one URL per child, sorted by znode path, duplicates dropped', () => {
      const r = parseZnodes('url', [
        { name: 'instance-0000000002', data: b('https://b.example.com:8443/x\n') }, { name: 'instance-0000000001', data: b('http://a.example.com:8080') },
        { name: 'instance-0000000003', data: b('http://a.example.com:8080') },
      ], { parentPath: '/svc' });
      expect(urls(r)).to.deep.equal(['http://a.example.com:8080', 'https://b.example.com:8443/x']);
      expect(r.warnings).to.have.length(1);
      expect(r.warnings[0]).to.include('/svc/instance-0000000003');
    });

    // Regression: the warning quoted the whole bad value (a 1 MB child made a 1 MB log line).
    it('keeps the warning for a huge bad child short', () => {
      const r = parseZnodes('url', [{ name: 'big', data: b(`ftp://${'x'.repeat(1_000_000)}`) }], { parentPath: '/svc' });
      expect(urls(r)).to.deep.equal([]);
      expect(r.warnings).to.have.length(1);
      expect(r.warnings[0]).to.include('/svc/big').and.include('more characters');
      expect(r.warnings[0]!.length).to.be.below(400);
    });

    it('rejects non-http schemes, relative URLs, port 0, credentials and queries', () => {
      const bad = ['ftp://h/x', 'h:8080', '/path', 'http://h:0', 'http://u:p@h:1', 'http://h:1/?q=1', 'http://null:8082', 'http://', 'http://h:1 x'];
      const r = parseZnodes('url', bad.map((u, i) => ({ name: `c${i}`, data: b(u) })), { parentPath: '/svc' });
      expect(r.backends).to.deep.equal([]);
      expect(r.warnings).to.have.length(bad.length);
      expect(r.warnings.join('\n')).not.to.include('u:p@');
    });

    it('checks URLs by the descriptor\'s rules and texts (one validator), and also refuses the host none', () => {
      const urls = ['http://h:1/x', ' https://[::1]:8443 ', 'http:nn1:50070', 'http://a:0', 'http://fe80::1:8080', 'http://u:p@h/', 'http://h/?q', 'http://h/#f', 'HTTP://UNDEFINED/x', 'ftp://h', ''];
      for (const url of urls) {
        const problem = checkDescriptorUrl(url);
        expect(checkBackendUrl(url), url).to.deep.equal(problem === undefined ? { ok: true, url: url.trim() } : { ok: false, reason: problem });
      }
      expect(checkBackendUrl('http://NONE:8080/x')).to.deep.equal({ ok: false, reason: 'host "none" is not a real host (a bug upstream?): "http://NONE:8080/x"' });
    });

    it('ignores ZooKeeper\'s own /zookeeper node at the root', () => {
      const r = parseZnodes('url', [{ name: 'zookeeper', data: undefined }, { name: 'a', data: b('http://h:1') }], { parentPath: '/' });
      expect(r.backends).to.deep.equal([{ url: 'http://h:1', znode: '/a' }]);
      expect(r.warnings).to.deep.equal([]);
    });
  });

  describe('fuzz', () => {
    it('never throws and never yields an invalid URL for random bytes and names', () => {
      let seed = 12345;
      const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
      const alphabet = 'ab:;=,_/.[]{}"\\ 0123456789nul\u0000\u00ffhttp://PLAINTEXT';
      const rstr = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      const formats = ['hive', 'hbase', 'kafka', 'solr', 'atlas', 'curator', 'url'] as const;
      for (let i = 0; i < 3000; i++) {
        const f = formats[i % formats.length]!;
        const data = rnd() < 0.5 ? Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256))) : b(rstr(Math.floor(rnd() * 80)));
        const name = f === 'atlas' ? 'active_server_info' : rstr(1 + Math.floor(rnd() * 20)).replace(/\//g, '_');
        const r = parseZnodes(f, [{ name, data }], { parentPath: '/fuzz' });
        for (const e of r.backends) expect(checkBackendUrl(e.url).ok, `${f}: ${e.url}`).to.equal(true);
        expect(r.backends.length + r.warnings.length).to.be.at.most(1);
      }
    });
  });
});
