import { expect } from 'chai';
import { backends, balancerFor, cookieValue, facts, seededRandom, snapshotOf } from './test-kit.test.js';
import { knoxCookieValue, MAX_COOKIE_VALUE_LENGTH } from './index.js';
import { MAX_RANKED_ROUTES } from '../descriptor/index.js';

const NAME = 'KNOX_BACKEND-HIVE';
const ranked = (n: number) => ({ enableStickySession: true, stickySessionRankedRoutes: n, maxFailoverAttempts: 4 });
const hashOf = (url: string) => knoxCookieValue(url);

describe('ranked routes', () => {
  const urls = backends(5);
  const snap = snapshotOf(...urls);

  it('carries the primary then N-1 distinct backups, Knox hashes joined by dots', () => {
    const b = balancerFor(ranked(3));
    const plan = b.plan(snap, facts());
    const value = cookieValue(b.setCookieFor(plan, 'http://b1'));
    const parts = value.split('.');
    expect(parts).to.have.length(3);
    expect(parts[0]).to.equal(hashOf('http://b1'));
    expect(new Set(parts).size).to.equal(3);
    for (const p of parts) expect(urls.map(hashOf)).to.include(p);
  });

  // The descriptor's limit is the balancer's cap: a cookie of that many routes must still be read back.
  it('keeps a cookie of MAX_RANKED_ROUTES routes within the length it reads back, and honours all of them', () => {
    const many = backends(MAX_RANKED_ROUTES + 2);
    const b = balancerFor(ranked(MAX_RANKED_ROUTES + 5));
    const all = snapshotOf(...many);
    const value = cookieValue(b.setCookieFor(b.plan(all, facts()), many[0] ?? ''));
    expect(value.split('.')).to.have.length(MAX_RANKED_ROUTES);
    expect(value.length).to.be.at.most(MAX_COOKIE_VALUE_LENGTH);
    const again = b.plan(all, facts({ cookieHeader: `${NAME}=${value}` }));
    expect(again.candidates[0]).to.equal(many[0]);
    expect(b.setCookieFor(again, many[0] ?? '')).to.equal(undefined);
  });

  it('caps the routes at the number of backends', () => {
    const b = balancerFor(ranked(4));
    const value = cookieValue(b.setCookieFor(b.plan(snapshotOf('http://b1', 'http://b2'), facts()), 'http://b2'));
    expect(value).to.equal(`${hashOf('http://b2')}.${hashOf('http://b1')}`);
  });

  it('spreads the first backups of one primary evenly (1,000 sessions, < 20% apart)', () => {
    const b = balancerFor(ranked(3), { random: seededRandom(1234) });
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const value = cookieValue(b.setCookieFor(b.plan(snap, facts()), 'http://b1'));
      const first = value.split('.')[1] ?? '';
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(counts.size).to.equal(4);
    const max = Math.max(...counts.values());
    const min = Math.min(...counts.values());
    expect((max - min) / max).to.be.below(0.2);
  });

  it('keeps routing to the primary and sets no new cookie while it is up', () => {
    const b = balancerFor(ranked(3));
    const cookie = `${NAME}=${[2, 4, 1].map((i) => hashOf(`http://b${i}`)).join('.')}`;
    const plan = b.plan(snap, facts({ cookieHeader: cookie }));
    expect(plan.candidates.slice(0, 3)).to.deep.equal(['http://b2', 'http://b4', 'http://b1']);
    expect(plan.sticky).to.deep.equal({ kind: 'valid', routes: ['http://b2', 'http://b4', 'http://b1'] });
    expect(plan.stickyOutcome).to.equal('hit');
    expect(b.setCookieFor(plan, 'http://b2')).to.equal(undefined);
  });

  it('sends the session to the first live backup when the primary is down and re-issues it first', () => {
    const b = balancerFor(ranked(3));
    b.reportFailure('http://b2');
    const cookie = `${NAME}=${[2, 4, 1].map((i) => hashOf(`http://b${i}`)).join('.')}`;
    const plan = b.plan(snap, facts({ cookieHeader: cookie }));
    expect(plan.candidates[0]).to.equal('http://b4');
    expect(plan.candidates[1]).to.equal('http://b1');
    expect(plan.candidates).to.include('http://b2');
    expect(plan.candidates.indexOf('http://b2')).to.be.greaterThan(1);
    expect(plan.stickyOutcome).to.equal('moved');
    expect(plan.reassignCause).to.equal('primary_down');
    expect(plan.backupTakeover).to.equal(true);
    expect(cookieValue(b.setCookieFor(plan, 'http://b4'))).to.equal([4, 2, 1].map((i) => hashOf(`http://b${i}`)).join('.'));
  });

  it('drops routes of departed backends, takes over with a backup and fills up with a fresh backup', () => {
    const b = balancerFor(ranked(3));
    const cookie = `${NAME}=${[hashOf('http://gone'), hashOf('http://b3'), hashOf('http://b5')].join('.')}`;
    const plan = b.plan(snap, facts({ cookieHeader: cookie }));
    expect(plan.sticky).to.deep.equal({ kind: 'valid', routes: ['http://b3', 'http://b5'] });
    expect(plan.candidates[0]).to.equal('http://b3');
    expect(plan.reassignCause).to.equal('backend_gone');
    expect(plan.backupTakeover).to.equal(true);
    const parts = cookieValue(b.setCookieFor(plan, 'http://b3')).split('.');
    expect(parts.slice(0, 2)).to.deep.equal([hashOf('http://b3'), hashOf('http://b5')]);
    expect(parts).to.have.length(3);
    expect(parts[2]).to.not.equal(hashOf('http://gone'));
  });

  it('upgrades a one-route Knox cookie to N routes keeping its primary', () => {
    const b = balancerFor(ranked(2));
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${hashOf('http://b3')}` }));
    expect(plan.candidates[0]).to.equal('http://b3');
    const parts = cookieValue(b.setCookieFor(plan, 'http://b3')).split('.');
    expect(parts[0]).to.equal(hashOf('http://b3'));
    expect(parts).to.have.length(2);
  });

  it('never follows more than N tokens of a long dotted value', () => {
    const b = balancerFor(ranked(2));
    const value = ['x', 'y', hashOf('http://b4')].join('.');
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${value}` }));
    expect(plan.sticky.kind).to.equal('invalid');
  });

  it('never picks a draining or cooling backend as a fresh backup while others are up', () => {
    const b = balancerFor(ranked(3));
    b.setDraining(snap, 'http://b4', true);
    b.reportFailure('http://b5');
    for (let i = 0; i < 100; i++) {
      const parts = cookieValue(b.setCookieFor(b.plan(snap, facts()), 'http://b1')).split('.');
      expect(parts).to.not.include(hashOf('http://b4'));
      expect(parts).to.not.include(hashOf('http://b5'));
    }
  });

  // Review finding: with the cookie's primary gone from the list, its first listed backup counted
  // as the primary, so it took the session over even while draining.
  it('does not let a draining backup take over a session whose primary left the list while others are up', () => {
    const b = balancerFor(ranked(2));
    const three = snapshotOf('http://b2', 'http://b3', 'http://b4');
    b.setDraining(three, 'http://b2', true);
    const cookie = `${NAME}=${hashOf('http://gone')}.${hashOf('http://b2')}`;
    const plan = b.plan(three, facts({ cookieHeader: cookie }));
    expect(plan.candidates[0]).to.not.equal('http://b2');
    expect(plan.candidates).to.include('http://b2');
    expect(plan.drainingSession).to.not.equal(true);
  });

  // Review finding: a URL listed twice counted as two backends, so a fresh cookie could never reach
  // the route count and Set-Cookie was sent again on every response.
  it('counts a URL listed twice as one route, so the issued cookie is kept', () => {
    const b = balancerFor(ranked(2));
    const twice = snapshotOf('http://b1', 'http://b1');
    const first = b.plan(twice, facts());
    const value = cookieValue(b.setCookieFor(first, first.candidates[0] ?? ''));
    expect(value).to.equal(hashOf('http://b1'));
    const again = b.plan(twice, facts({ cookieHeader: `${NAME}=${value}` }));
    expect(again.candidates[0]).to.equal('http://b1');
    expect(b.setCookieFor(again, 'http://b1')).to.equal(undefined);
  });
});
