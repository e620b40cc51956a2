import { expect } from 'chai';
import { backends, balancerFor, facts, snapshotOf } from './test-kit.test.js';
import type { CookielessAffinity } from '../core/index.js';

const ODBC = 'ClouderaODBCDriverforApacheHive/2.6.11 (Windows)';

describe('User-Agent exclusion (disableLoadBalancingForUserAgents)', () => {
  const cases = [
    { desc: 'default entry as substring', list: undefined, ua: ODBC, excluded: true },
    { desc: 'case differs: not excluded', list: undefined, ua: 'clouderaodbcdriverforapachehive', excluded: false },
    { desc: 'browser', list: undefined, ua: 'Mozilla/5.0', excluded: false },
    { desc: 'no User-Agent', list: undefined, ua: undefined, excluded: false },
    { desc: 'second configured entry', list: ['Foo', 'Beeline'], ua: 'Hive Beeline 3.1', excluded: true },
    { desc: 'empty entry does not exclude everybody', list: ['', 'Foo'], ua: 'Mozilla/5.0', excluded: false },
  ];
  for (const c of cases) {
    it(`routes without LB or sticky when excluded: ${c.desc}`, () => {
      const b = balancerFor({
        enableStickySession: true, ...(c.list ? { disableLoadBalancingForUserAgents: c.list } : {}),
      });
      const snap = snapshotOf(...backends(3));
      const plans = [0, 1, 2].map(() => b.plan(snap, facts({ userAgent: c.ua })));
      const firsts = plans.map((p) => p.candidates[0]);
      if (c.excluded) {
        expect(firsts).to.deep.equal(['http://b1', 'http://b1', 'http://b1']);
        for (const p of plans) {
          expect(p.sticky).to.deep.equal({ kind: 'none' });
          expect(b.setCookieFor(p, p.candidates[0] ?? '')).to.equal(undefined);
        }
      } else {
        expect(firsts).to.deep.equal(['http://b1', 'http://b2', 'http://b3']);
        expect(plans[0]?.sticky.kind).to.equal('absent');
      }
    });
  }

  it('pins to the first healthy backend in list order, not to the last failed one (KNOX-3041 bug)', () => {
    const b = balancerFor();
    const snap = snapshotOf(...backends(3));
    b.reportFailure('http://b1');
    expect(b.plan(snap, facts({ userAgent: ODBC })).candidates).to.deep.equal(['http://b2', 'http://b3', 'http://b1']);
  });
});

describe('cookieless affinity by rendezvous hash', () => {
  const clientIp: CookielessAffinity = { kind: 'client-ip' };
  const header: CookielessAffinity = { kind: 'header', name: 'X-Session' };
  const keys = Array.from({ length: 1000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.7`);

  function route(affinity: CookielessAffinity, urls: string[], key: string, failed: string[] = []): readonly string[] {
    const b = balancerFor({ cookielessAffinity: affinity, maxFailoverAttempts: 10 });
    for (const f of failed) b.reportFailure(f);
    const asHeader = affinity.kind === 'header';
    return b.plan(snapshotOf(...urls), facts({ userAgent: ODBC, clientIp: asHeader ? '1.1.1.1' : key, affinityKey: asHeader ? key : undefined })).candidates;
  }

  it('sends the same key to the same backend, whatever the list order (every instance agrees)', () => {
    const urls = backends(5);
    for (const key of keys.slice(0, 100)) {
      const a = route(clientIp, urls, key);
      expect(route(clientIp, [...urls].reverse(), key)).to.deep.equal(a);
      expect(route(clientIp, urls, key)).to.deep.equal(a);
    }
  });

  it('moves only the clients of a removed backend (1,000 keys, 1 of 5 removed)', () => {
    const urls = backends(5);
    const smaller = urls.filter((u) => u !== 'http://b3');
    let moved = 0;
    for (const key of keys) {
      const before = route(clientIp, urls, key)[0];
      const after = route(clientIp, smaller, key)[0];
      if (before === 'http://b3') moved++;
      else expect(after, key).to.equal(before);
    }
    expect(moved).to.be.greaterThan(100); // b3 had its share, and those clients moved
  });

  it('spreads keys over the backends', () => {
    const counts = new Map<string, number>();
    for (const key of keys) {
      const first = route(clientIp, backends(5), key)[0] ?? '';
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(counts.size).to.equal(5);
    for (const n of counts.values()) expect(n).to.be.within(140, 260);
  });

  it('fails over in score order: a cooling backend moves its keys to their second choice only', () => {
    const urls = backends(4);
    for (const key of keys.slice(0, 200)) {
      const order = route(clientIp, urls, key);
      const failed = order[0] ?? '';
      const after = route(clientIp, urls, key, [failed]);
      expect(after).to.deep.equal([...order.slice(1), failed]);
    }
  });

  it('routes by the configured header, and falls back to the client IP without it', () => {
    const urls = backends(5);
    const byHeader = keys.slice(0, 50).map((k) => route(header, urls, k)[0]);
    const byIp = keys.slice(0, 50).map((k) => route(clientIp, urls, k)[0]);
    expect(byHeader).to.deep.equal(byIp); // same key, same backend, whichever carries it
    const b = balancerFor({ cookielessAffinity: header });
    const snap = snapshotOf(...urls);
    const noHeader = b.plan(snap, facts({ userAgent: ODBC, clientIp: keys[3] ?? '', affinityKey: undefined }));
    expect(noHeader.candidates[0]).to.equal(route(clientIp, urls, keys[3] ?? '')[0]);
  });
});
