import { expect } from 'chai';
import { backends, balancerFor, facts, snapshotOf } from './test-kit.test.js';
import { knoxCookieValue } from './index.js';
import { createRecentlyDrained, RECENTLY_DRAINED_LIMIT } from './recently-drained.js';
import { hmacSha256Hex } from './hash.js';

const NAME = 'KNOX_BACKEND-HIVE';
const cookieOf = (...urls: string[]) => facts({ cookieHeader: `${NAME}=${urls.map((u) => knoxCookieValue(u)).join('.')}` });
const ranked = (n: number, over: Record<string, unknown> = {}) => ({
  enableStickySession: true, stickySessionRankedRoutes: n, maxFailoverAttempts: 4, ...over,
});

describe('draining: the "drained" re-assignment cause', () => {
  const urls = backends(3);
  const snap = snapshotOf(...urls);

  it('hints "drained" while a draining primary still serves its session, and flags the draining session', () => {
    const b = balancerFor({ enableStickySession: true });
    b.setDraining(snap, 'http://b2', true);
    const plan = b.plan(snap, cookieOf('http://b2'));
    expect(plan).to.include({ stickyOutcome: 'hit', reassignCause: undefined, moveCause: 'drained', drainingSession: true });
    const other = b.plan(snap, cookieOf('http://b1'));
    expect(other).to.include({ stickyOutcome: 'hit', moveCause: 'primary_down', drainingSession: false });
  });

  it('reports "drained" when a draining primary went down', () => {
    const b = balancerFor({ enableStickySession: true });
    b.setDraining(snap, 'http://b2', true);
    b.reportFailure('http://b2');
    const plan = b.plan(snap, cookieOf('http://b2'));
    expect(plan.candidates[0]).to.not.equal('http://b2');
    expect(plan).to.include({ stickyOutcome: 'moved', reassignCause: 'drained', drainingSession: false });
  });

  it('reports "primary_down" for a primary that is down but not draining', () => {
    const b = balancerFor({ enableStickySession: true });
    b.reportFailure('http://b2');
    expect(b.plan(snap, cookieOf('http://b2'))).to.include({ stickyOutcome: 'moved', reassignCause: 'primary_down' });
  });

  it('reports "drained" for a one-route cookie whose drained backend left the list, "backend_gone" otherwise', () => {
    const b = balancerFor({ enableStickySession: true });
    b.setDraining(snap, 'http://b2', true);
    b.plan(snap, facts()); // the balancer sees the drain
    const without = snapshotOf('http://b1');
    const drained = b.plan(without, cookieOf('http://b2'));
    expect(drained.sticky.kind).to.equal('invalid');
    expect(drained).to.include({ stickyOutcome: 'miss', reassignCause: 'drained' });
    expect(b.plan(without, cookieOf('http://b3')).reassignCause).to.equal('backend_gone');
  });

  it('reports "drained" for a ranked cookie whose drained primary left the list, its backup taking over', () => {
    const b = balancerFor(ranked(2));
    b.setDraining(snap, 'http://b2', true);
    b.plan(snap, facts());
    const plan = b.plan(snapshotOf('http://b1', 'http://b3'), cookieOf('http://b2', 'http://b3'));
    expect(plan.candidates[0]).to.equal('http://b3');
    expect(plan).to.include({ stickyOutcome: 'moved', reassignCause: 'drained', moveCause: 'drained', backupTakeover: true });
  });

  it('forgets a drained backend that is listed again (a later removal is "backend_gone")', () => {
    const b = balancerFor({ enableStickySession: true });
    b.setDraining(snap, 'http://b2', true);
    b.plan(snap, facts());
    const without = snapshotOf('http://b1', 'http://b3');
    b.plan(without, facts());
    const back = snapshotOf(...urls);
    expect(b.status(back)[1]?.state, 'the draining flag went with the removal').to.equal('up');
    expect(b.plan(without, cookieOf('http://b2')).reassignCause).to.equal('backend_gone');
  });

  it('recognises signed tokens of a drained backend that left the list', () => {
    const key = Buffer.from('a-sixteen-byte-key!!');
    const b = balancerFor({ enableStickySession: true }, { keys: { keys: [key], acceptKnoxCookies: false } });
    b.setDraining(snap, 'http://b2', true);
    b.plan(snap, facts());
    const plan = b.plan(snapshotOf('http://b1'), facts({ cookieHeader: `${NAME}=${hmacSha256Hex(key, 'http://b2')}` }));
    expect(plan.reassignCause).to.equal('drained');
    // A plain Knox hash is not accepted while signing: it never named the backend.
    expect(b.plan(snapshotOf('http://b1'), cookieOf('http://b2')).reassignCause).to.equal('backend_gone');
  });
});

describe('recently drained backends', () => {
  it(`remembers at most ${RECENTLY_DRAINED_LIMIT}, forgetting the oldest first`, () => {
    const recent = createRecentlyDrained(undefined);
    const urls = backends(RECENTLY_DRAINED_LIMIT + 1);
    for (const url of urls) recent.remember(url);
    expect(recent.size).to.equal(RECENTLY_DRAINED_LIMIT);
    expect(recent.namesPrimaryOf(`${NAME}=${knoxCookieValue('http://b1')}`, NAME)).to.equal(false);
    expect(recent.namesPrimaryOf(`${NAME}=${knoxCookieValue('http://b2')}`, NAME)).to.equal(true);
  });

  it('matches only the first route of a cookie, and only whole tokens', () => {
    const recent = createRecentlyDrained(undefined);
    recent.remember('http://b1');
    const t1 = knoxCookieValue('http://b1');
    const t2 = knoxCookieValue('http://b2');
    expect(recent.namesPrimaryOf(`${NAME}=${t1}.${t2}`, NAME)).to.equal(true);
    expect(recent.namesPrimaryOf(`${NAME}=${t2}.${t1}`, NAME)).to.equal(false);
    expect(recent.namesPrimaryOf(`${NAME}=${t1}x`, NAME)).to.equal(false);
    expect(recent.namesPrimaryOf(`OTHER=${t1}`, NAME)).to.equal(false);
  });
});

describe('draining: a draining backup takes no new sessions', () => {
  const urls = backends(4);
  const snap = snapshotOf(...urls);

  it('hands a failed primary\'s session to an eligible backend before the cookie\'s draining backup', () => {
    const b = balancerFor(ranked(2));
    b.setDraining(snap, 'http://b2', true);
    b.reportFailure('http://b1');
    const plan = b.plan(snap, cookieOf('http://b1', 'http://b2'));
    expect(plan.candidates.slice(0, 2)).to.have.members(['http://b3', 'http://b4']);
    expect(plan.candidates.slice(2)).to.deep.equal(['http://b2', 'http://b1']);
    expect(plan).to.include({ stickyOutcome: 'moved', reassignCause: 'primary_down', backupTakeover: false, drainingSession: false });
  });

  it('prefers an eligible backup of the cookie over a higher-ranked draining one', () => {
    const b = balancerFor(ranked(3));
    b.setDraining(snap, 'http://b2', true);
    b.reportFailure('http://b1');
    const plan = b.plan(snap, cookieOf('http://b1', 'http://b2', 'http://b3'));
    expect(plan.candidates).to.deep.equal(['http://b3', 'http://b4', 'http://b2', 'http://b1']);
    expect(plan.backupTakeover).to.equal(true);
  });

  it('uses the draining backup only when nothing else is up', () => {
    const b = balancerFor(ranked(2));
    b.setDraining(snap, 'http://b2', true);
    for (const url of ['http://b1', 'http://b3', 'http://b4']) b.reportFailure(url);
    const plan = b.plan(snap, cookieOf('http://b1', 'http://b2'));
    expect(plan.candidates[0]).to.equal('http://b2');
    expect(plan).to.include({ backupTakeover: true, drainingSession: true });
  });

  it('with noFallback, keeps to the cookie\'s routes: eligible backups, then draining ones, then cooling ones', () => {
    const b = balancerFor(ranked(3, { noFallback: true }));
    b.setDraining(snap, 'http://b2', true);
    b.reportFailure('http://b1');
    const plan = b.plan(snap, cookieOf('http://b1', 'http://b2', 'http://b3'));
    expect(plan.restricted).to.equal(true);
    expect(plan.candidates).to.deep.equal(['http://b3', 'http://b2', 'http://b1']);
  });

  it('keeps a session on its draining primary', () => {
    const b = balancerFor(ranked(2));
    b.setDraining(snap, 'http://b2', true);
    const plan = b.plan(snap, cookieOf('http://b2', 'http://b3'));
    expect(plan.candidates[0]).to.equal('http://b2');
    expect(plan).to.include({ stickyOutcome: 'hit', drainingSession: true });
  });
});
