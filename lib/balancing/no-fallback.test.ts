import { expect } from 'chai';
import { backends, balancerFor, facts, snapshotOf } from './test-kit.test.js';
import { knoxCookieValue } from './index.js';

const NAME = 'KNOX_BACKEND-HIVE';

describe('noFallback matrix', () => {
  const urls = backends(3);
  const valid = `${NAME}=${knoxCookieValue('http://b2')}`;
  const stale = `${NAME}=${knoxCookieValue('http://gone')}`;
  const garbage = `${NAME}=garbage`;
  const cases = [
    { desc: 'noFallback, valid cookie, backend up', noFallback: true, cookie: valid, down: false, restricted: true, candidates: ['http://b2'] },
    { desc: 'noFallback, valid cookie, backend cooling', noFallback: true, cookie: valid, down: true, restricted: true, candidates: ['http://b2'] },
    { desc: 'noFallback, stale cookie', noFallback: true, cookie: stale, down: false, restricted: false, candidates: urls },
    { desc: 'noFallback, garbage cookie', noFallback: true, cookie: garbage, down: false, restricted: false, candidates: urls },
    { desc: 'noFallback, no cookie (KNOX-2619)', noFallback: true, cookie: undefined, down: false, restricted: false, candidates: urls },
    { desc: 'fallback, valid cookie, backend up', noFallback: false, cookie: valid, down: false, restricted: false, candidates: ['http://b2', 'http://b1', 'http://b3'] },
    { desc: 'fallback, valid cookie, backend cooling', noFallback: false, cookie: valid, down: true, restricted: false, candidates: ['http://b1', 'http://b3', 'http://b2'] },
    { desc: 'fallback, no cookie', noFallback: false, cookie: undefined, down: false, restricted: false, candidates: urls },
  ];
  for (const c of cases) {
    it(`plans ${c.restricted ? 'a restricted' : 'an unrestricted'} list: ${c.desc}`, () => {
      const b = balancerFor({ enableStickySession: true, noFallback: c.noFallback });
      if (c.down) b.reportFailure('http://b2');
      const plan = b.plan(snapshotOf(...urls), facts({ cookieHeader: c.cookie }));
      expect(plan.restricted).to.equal(c.restricted);
      expect(plan.cookieCarried).to.equal(c.cookie !== undefined);
      expect(plan.candidates).to.deep.equal(c.candidates);
    });
  }

  it('is never restricted when sticky is not effective (noFallback needs sticky)', () => {
    const b = balancerFor({ enableStickySession: false, noFallback: true });
    const plan = b.plan(snapshotOf(...urls), facts({ cookieHeader: valid }));
    expect(plan.restricted).to.equal(false);
  });

  it('restricts to all ranked routes of a valid cookie', () => {
    const b = balancerFor({ enableStickySession: true, noFallback: true, stickySessionRankedRoutes: 2 });
    const cookie = `${NAME}=${knoxCookieValue('http://b3')}.${knoxCookieValue('http://b1')}`;
    const plan = b.plan(snapshotOf(...urls), facts({ cookieHeader: cookie }));
    expect(plan.restricted).to.equal(true);
    expect(plan.candidates).to.deep.equal(['http://b3', 'http://b1']);
  });
});
