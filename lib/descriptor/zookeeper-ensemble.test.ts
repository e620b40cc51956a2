import { expect } from 'chai';
import { checkEdit } from './edit.js';
import { checkZookeeperEnsemble } from './index.js';
import { parseDescriptor } from './parse-descriptor.js';

// Regression (review): zookeeperEnsemble was read as a plain string, so validate and set accepted
// zk1:99999 or h:notaport and a running gateway later crashed on them.
describe('checkZookeeperEnsemble', () => {
  const good = ['zk1', 'zk1:2181', 'zk1:1,zk2:65535,10.0.0.3:2181', 'zk_1.example.com:2181/hive', 'a:2181,b/x/y-z.1'];
  for (const s of good) it(`accepts ${s}`, () => expect(checkZookeeperEnsemble(s)).to.equal(undefined));

  const form = '(expected host[:port][,host[:port]...][/chroot])';
  const bad: { desc: string; s: string; problem: string }[] = [
    { desc: 'a port above 65535', s: 'zk1:99999', problem: `port must be 1..65535, got "99999" in "zk1:99999" ${form}` },
    { desc: 'port 70000 in a list', s: 'zk1:2181,zk1:70000', problem: `port must be 1..65535, got "70000" in "zk1:2181,zk1:70000" ${form}` },
    { desc: 'port 0', s: 'zk1:0', problem: `port must be 1..65535, got "0" in "zk1:0" ${form}` },
    { desc: 'a port that is not a number', s: 'h:notaport', problem: `port must be 1..65535, got "notaport" in "h:notaport" ${form}` },
    { desc: 'an empty port', s: 'h:', problem: `port must be 1..65535, got "" in "h:" ${form}` },
    { desc: 'an empty host', s: ':2181', problem: `empty host before the ":" in ":2181" ${form}` },
    { desc: 'two commas in a row', s: 'a,,b', problem: `empty host (two commas in a row, or a comma at the start or end) in "a,,b" ${form}` },
    { desc: 'a bad host name', s: 'zk!1:2181', problem: `bad host "zk!1" (letters, digits, ".", "-" and "_" only) in "zk!1:2181" ${form}` },
    { desc: 'whitespace', s: 'a:1, b:2', problem: `must not contain whitespace, got "a:1, b:2" ${form}` },
    { desc: 'IPv6 (the client cannot connect to it)', s: '[::1]:2181', problem: 'IPv6 address "[::1]:2181" is not supported by the ZooKeeper client; use a host name or an IPv4 address' },
    { desc: 'only a chroot', s: '/hive', problem: `no host before the chroot in "/hive" ${form}` },
    { desc: 'a chroot with a trailing slash', s: 'a:1/hive/', problem: 'chroot "/hive/" in "a:1/hive/" must not end with "/"' },
    { desc: 'a bare slash', s: 'a:1/', problem: 'chroot "/" in "a:1/" must not end with "/" (leave it out for no chroot)' },
    { desc: 'an empty chroot segment', s: 'a:1/x//y', problem: 'chroot "/x//y" in "a:1/x//y" has an empty segment ("//")' },
    { desc: 'a relative chroot segment', s: 'a:1/x/../y', problem: 'chroot "/x/../y" in "a:1/x/../y" must not contain "." or ".." segments' },
    { desc: 'hosts after the chroot', s: 'a:1/x,b:2', problem: `chroot "/x,b:2" in "a:1/x,b:2" contains ",": the /chroot comes once, after the last host ${form}` },
  ];
  for (const c of bad) it(`refuses ${c.desc}`, () => expect(checkZookeeperEnsemble(c.s)).to.equal(c.problem));

  it('makes validate report a bad ensemble as an error at the attribute (file:line:col)', () => {
    const r = parseDescriptor('<ha>\n  <service name="HIVE" zookeeperEnsemble="zk1:99999" zookeeperNamespace="hs2"/>\n</ha>\n', 'z.xml');
    expect(r.config).to.equal(undefined);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`)).to.deep.equal([
      `z.xml:2:24: error: HIVE: zookeeperEnsemble: port must be 1..65535, got "99999" in "zk1:99999" ${form}`,
    ]);
  });

  it('checks the topology key and the service-level override the same way', () => {
    const xml = `<topology><gateway><provider><role>ha</role><name>HaProvider</name><enabled>true</enabled>
<param><name>HIVE</name><value>zookeeperEnsemble=h:notaport</value></param></provider></gateway>
<service><role>OOZIE</role><url>http://o:1</url><param><name>zookeeperEnsemble</name><value>zk1:70000</value></param></service>
</topology>`;
    const errors = parseDescriptor(xml, 't.xml').diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.message.replace(/ \(expected.*$/, '')}`);
    expect(errors).to.deep.equal([
      '2: HIVE: zookeeperEnsemble: port must be 1..65535, got "notaport" in "h:notaport"',
      '3: OOZIE: zookeeperEnsemble: port must be 1..65535, got "70000" in "zk1:70000"',
    ]);
  });

  it('makes set refuse a bad ensemble', () => {
    expect(checkEdit({ key: 'zookeeperEnsemble', value: 'zk1:70000' })).to.match(/^zookeeperEnsemble: port must be 1\.\.65535, got "70000"/);
  });
});
