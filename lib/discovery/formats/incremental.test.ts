import { expect } from 'chai';
import type { ZookeeperFormat } from '../../core/index.js';
import { createIncrementalParser, parseZnodes } from './index.js';
import type { ZnodeChild } from './types.js';

const child = (name: string, data?: string): ZnodeChild => ({ name, data: data === undefined ? undefined : Buffer.from(data) });

/** A tiny deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('discovery formats: incremental parsing', () => {
  it('gives exactly what parseZnodes gives, over random adds, removes, data changes and duplicate URLs (url)', () => {
    const random = prng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const datas = ['http://a:1', 'http://b:1', 'http://c:1', 'garbage', '', 'http://null:1', 'ftp://x:1', ' http://a:1 ', 'http://d:1/p'];
    const parser = createIncrementalParser('url');
    let children = new Map<string, ZnodeChild>();
    for (let step = 0; step < 2000; step++) {
      const r = random();
      const name = `n-${Math.floor(random() * 40)}`;
      if (r < 0.4) children.set(name, child(name, pick(datas)));
      else if (r < 0.6) children.delete(name);
      else if (r < 0.75 && children.has(name)) children.set(name, child(name, pick(datas))); // new object, maybe same bytes
      else if (r < 0.77) children = new Map(); // everything gone
      const list = [...children.values()].sort(() => random() - 0.5); // ZooKeeper's order is arbitrary
      const want = parseZnodes('url', list, { parentPath: '/svc' });
      const got = parser.parse(list, { parentPath: '/svc' });
      expect({ backends: got.backends, warnings: got.warnings }, `step ${step}`).to.deep.equal(want);
      expect(got.backends.every((b) => Object.isFrozen(b))).to.equal(true);
    }
  });

  it('reports no change, with the very same arrays, when nothing changed or only the bytes did', () => {
    const parser = createIncrementalParser('url');
    const first = parser.parse([child('b', 'http://b:1'), child('a', 'http://a:1'), child('x', 'bad')], { parentPath: '/s' });
    expect(first.changed).to.equal(true);
    expect(first.warnings).to.deep.equal(['znode /s/x: not an absolute URL: "bad"; skipped']);
    const again = parser.parse([child('a', 'http://a:1'), child('x', 'bad'), child('b', 'http://b:1')], { parentPath: '/s' });
    expect(again.changed).to.equal(false);
    expect(again.backends).to.equal(first.backends);
    expect(again.warnings).to.equal(first.warnings);
    const spaces = parser.parse([child('a', ' http://a:1\n'), child('x', 'bad'), child('b', 'http://b:1')], { parentPath: '/s' });
    expect(spaces.changed).to.equal(false);
  });

  it('re-parses only new or changed children and keeps the entry objects of the others', () => {
    let calls = 0;
    const parser = createIncrementalParser('url');
    const many = Array.from({ length: 1000 }, (_, i) => child(`n-${String(i).padStart(4, '0')}`, `http://h${i}:1`));
    const tracked = (c: ZnodeChild): ZnodeChild => ({ name: c.name, get data() { calls++; return c.data; } });
    const first = parser.parse(many.map(tracked), { parentPath: '/big' });
    expect(first.backends).to.have.length(1000);
    calls = 0;
    // The reader hands out the same child objects while their data is unchanged.
    const second = parser.parse([...many, child('n-0500x', 'http://new:1')], { parentPath: '/big' });
    expect(second.changed).to.equal(true);
    expect(second.backends).to.have.length(1001);
    expect(second.backends[501]).to.deep.equal({ url: 'http://new:1', znode: '/big/n-0500x' });
    expect(second.backends.filter((b, i) => b === first.backends[i > 501 ? i - 1 : i])).to.have.length(1000);
    expect(calls).to.be.at.most(1000 + 2); // each old child's bytes compared once (new objects), nothing parsed again
    const third = parser.parse(many, { parentPath: '/big' });
    expect(third.backends).to.deep.equal(first.backends);
    expect(third.backends.every((b, i) => b === first.backends[i])).to.equal(true);
  });

  it('starts afresh when the parent changes (hbase falls back to /hbase-unsecure/rs)', () => {
    const parser = createIncrementalParser('hbase');
    const names = [child('h1,16020,1'), child('h2,16020,1')];
    const a = parser.parse(names, { parentPath: '/hbase-secure/rs' });
    const b = parser.parse(names, { parentPath: '/hbase-unsecure/rs' });
    expect(b.changed).to.equal(true);
    expect(b.backends.map((e) => e.znode)).to.deep.equal(['/hbase-unsecure/rs/h1,16020,1', '/hbase-unsecure/rs/h2,16020,1']);
    expect(a.backends.map((e) => e.url)).to.deep.equal(b.backends.map((e) => e.url));
  });

  it('ignores /zookeeper at the root and survives duplicate names like parseZnodes', () => {
    const parser = createIncrementalParser('url');
    const list = [child('zookeeper', 'http://zk:1'), child('a', 'http://a:1')];
    expect(parser.parse(list, { parentPath: '/' }).backends).to.deep.equal(parseZnodes('url', list, { parentPath: '/' }).backends);
    const dup = [child('a', 'http://a:1'), child('a', 'http://a2:1')];
    expect(parser.parse(dup, { parentPath: '/' })).to.deep.include(parseZnodes('url', dup, { parentPath: '/' }));
    expect(parser.parse(list, { parentPath: '/' }).backends).to.deep.equal([{ url: 'http://a:1', znode: '/a' }]);
  });

  for (const format of ['hive', 'kafka', 'curator', 'solr', 'atlas'] as ZookeeperFormat[]) {
    it(`matches parseZnodes for random data in the ${format} format`, () => {
      const random = prng(7);
      const parser = createIncrementalParser(format);
      const samples = [
        'hive.server2.thrift.bind.host=h1;hive.server2.thrift.http.port=10001', 'hive.server2.thrift.bind.host=h1;hive.server2.transport.mode=binary',
        '{"host":"k1","port":9092}', '{"host":null,"endpoints":["PLAINTEXT://k2:9092"]}', '{"address":"c1","port":8080}', 'http://x:1', '{', '',
      ];
      const live = new Map<string, ZnodeChild>();
      for (let step = 0; step < 300; step++) {
        const name = format === 'solr' ? `s${Math.floor(random() * 10)}:8983_solr` : `n${Math.floor(random() * 10)}`;
        if (random() < 0.6) live.set(name, child(name, samples[Math.floor(random() * samples.length)])); else live.delete(name);
        const list = [...live.values()];
        const got = parser.parse(list, { parentPath: '/p' });
        expect({ backends: got.backends, warnings: got.warnings }, `step ${step}`).to.deep.equal(parseZnodes(format, list, { parentPath: '/p' }));
      }
    });
  }
});
