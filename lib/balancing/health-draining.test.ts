import { expect } from 'chai';
import { backends, balancerFor, facts, manualClock, snapshotOf } from './test-kit.test.js';
import { knoxCookieValue } from './index.js';

const NAME = 'KNOX_BACKEND-HIVE';

describe('passive health', () => {
  it('skips a failed backend for the cool-down, then uses it again', () => {
    const clock = manualClock();
    const b = balancerFor({ enableLoadBalancing: false }, { clock, coolDownMs: 1000 });
    const snap = snapshotOf(...backends(2));
    b.reportFailure('http://b1');
    expect(b.plan(snap, facts()).candidates[0]).to.equal('http://b2');
    expect(b.status(snap)[0]).to.include({ state: 'cooling_down', coolingUntil: clock() + 1000 });
    clock.advance(999);
    expect(b.plan(snap, facts()).candidates[0]).to.equal('http://b2');
    clock.advance(1);
    expect(b.plan(snap, facts()).candidates[0]).to.equal('http://b1');
    expect(b.status(snap)[0]).to.include({ state: 'up', coolingUntil: undefined });
  });

  it('defaults the cool-down to 30 seconds', () => {
    const clock = manualClock();
    const b = balancerFor({ enableLoadBalancing: false }, { clock });
    b.reportFailure('http://b1');
    expect(b.status(snapshotOf(...backends(2)))[0]?.coolingUntil).to.equal(clock() + 30_000);
  });

  it('ends the cool-down on success', () => {
    const b = balancerFor({ enableLoadBalancing: false });
    const snap = snapshotOf(...backends(2));
    b.reportFailure('http://b1');
    b.reportSuccess('http://b1');
    expect(b.plan(snap, facts()).candidates[0]).to.equal('http://b1');
  });

  it('forgets state of backends that left the snapshot', () => {
    const clock = manualClock();
    const b = balancerFor({ enableLoadBalancing: false }, { clock });
    const before = snapshotOf(...backends(2));
    b.setDraining(before, 'http://b1', true);
    b.reportFailure('http://b1');
    b.plan(snapshotOf('http://b2'), facts());
    const back = snapshotOf(...backends(2));
    expect(b.status(back).map((s) => s.state)).to.deep.equal(['up', 'up']);
  });
});

describe('draining', () => {
  const urls = backends(3);
  const snap = snapshotOf(...urls);

  it('gets no new requests but keeps its sticky sessions, and counts them', () => {
    const b = balancerFor({ enableStickySession: true });
    expect(b.setDraining(snap, 'http://b2', true)).to.equal(true);
    const fresh = [0, 1, 2, 3].map(() => b.plan(snap, facts()).candidates[0]);
    expect(fresh).to.not.include('http://b2');
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${knoxCookieValue('http://b2')}` }));
    expect(plan.candidates[0]).to.equal('http://b2');
    expect(plan.stickyOutcome).to.equal('hit');
    expect(b.setCookieFor(plan, 'http://b2')).to.equal(undefined);
    b.plan(snap, facts({ cookieHeader: `${NAME}=${knoxCookieValue('http://b2')}` }));
    expect(b.status(snap)[1]).to.include({ state: 'draining', drainingSessions: 2 });
  });

  it('still serves new requests when nothing else is up', () => {
    const b = balancerFor();
    b.setDraining(snap, 'http://b2', true);
    b.reportFailure('http://b1');
    b.reportFailure('http://b3');
    expect(b.plan(snap, facts()).candidates[0]).to.equal('http://b2');
  });

  it('reports draining over cooling down, and undrains', () => {
    const b = balancerFor();
    b.setDraining(snap, 'http://b1', true);
    b.reportFailure('http://b1');
    expect(b.status(snap)[0]?.state).to.equal('draining');
    b.setDraining(snap, 'http://b1', false);
    expect(b.status(snap)[0]?.state).to.equal('cooling_down');
  });

  it('refuses a URL that is not in the snapshot', () => {
    expect(balancerFor().setDraining(snap, 'http://nope', true)).to.equal(false);
  });
});
