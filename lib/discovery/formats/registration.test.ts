import { expect } from 'chai';
import { parseZnodes } from './index.js';
import { registrationFor } from './registration.js';
import type { ZookeeperFormat } from '../../core/index.js';

function readBack(format: ZookeeperFormat, namespace: string | undefined, url: string): string | undefined {
  const node = registrationFor({ format, namespace, url, now: 1700000000000, id: 'abcdef12-3456-7890-abcd-ef1234567890' });
  const name = node.sequential ? `${node.name}0000000007` : node.name;
  return parseZnodes(format, [{ name, data: node.data }], { parentPath: node.parentPath }).backends[0]?.url;
}

describe('registrationFor', () => {
  const cases: { desc: string; format: ZookeeperFormat; ns?: string; url: string; parent: string }[] = [
    { desc: 'url', format: 'url', ns: 'svc/whoami', url: 'http://127.0.0.1:50070/webhdfs', parent: '/svc/whoami' },
    { desc: 'hive (HiveServer2-style data)', format: 'hive', ns: 'hiveserver2', url: 'https://hs2.example.com:10001/cliservice', parent: '/hiveserver2' },
    { desc: 'curator', format: 'curator', ns: 'services/whoami', url: 'https://[::1]:8443/api', parent: '/services/whoami' },
    { desc: 'solr', format: 'solr', url: 'http://solr1:8983/solr', parent: '/live_nodes' },
    { desc: 'hbase', format: 'hbase', url: 'http://rs1:8080', parent: '/hbase-unsecure/rs' },
    { desc: 'kafka', format: 'kafka', url: 'http://broker1:8082', parent: '/brokers/ids' },
    { desc: 'atlas', format: 'atlas', url: 'http://atlas1:21000', parent: '/apache_atlas' },
  ];
  for (const c of cases) {
    it(`round-trips through the ${c.desc} format`, () => {
      expect(registrationFor({ format: c.format, namespace: c.ns, url: c.url }).parentPath).to.equal(c.parent);
      expect(new URL(readBack(c.format, c.ns, c.url) ?? 'http://none').href).to.equal(new URL(c.url).href);
    });
  }

  it('writes HiveServer2-style names and data', () => {
    const node = registrationFor({ format: 'hive', namespace: undefined, url: 'http://h:10001/cliservice' });
    expect(node.parentPath).to.equal('/hiveserver2');
    expect(node.name).to.match(/^serverUri=h:10001;version=[^;]+;sequence=$/);
    expect(node.sequential).to.equal(true);
    expect(node.data.toString()).to.include('hive.server2.thrift.bind.host=h;').and.include('hive.server2.transport.mode=http');
  });

  it('refuses URLs a format cannot express, and bad URLs', () => {
    expect(() => registrationFor({ format: 'hbase', namespace: undefined, url: 'http://rs1:9999' })).to.throw(/cannot express/);
    expect(() => registrationFor({ format: 'kafka', namespace: undefined, url: 'https://b:8082' })).to.throw(/cannot express/);
    expect(() => registrationFor({ format: 'url', namespace: 'x', url: 'not a url' })).to.throw(/--url/);
  });

  it('uses --data verbatim', () => {
    expect(registrationFor({ format: 'url', namespace: 'x', url: 'http://h:1', data: 'http://other:2' }).data.toString()).to.equal('http://other:2');
  });
});
