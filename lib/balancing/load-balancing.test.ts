import { expect } from 'chai';
import { backends, balancerFor, facts, seededRandom, snapshotOf } from './test-kit.test.js';
import { createRoundRobin } from './round-robin.js';
import { pickLeastRequests } from './least-requests.js';
import { pickRandom } from './random-pick.js';

describe('round robin', () => {
  it('serves a static list in the exact order b1, b2, b3, b1', () => {
    const b = balancerFor();
    const snap = snapshotOf(...backends(3));
    const firsts = [0, 1, 2, 3, 4].map(() => b.plan(snap, facts()).candidates[0]);
    expect(firsts).to.deep.equal(['http://b1', 'http://b2', 'http://b3', 'http://b1', 'http://b2']);
  });

  it('lists the other healthy backends after the pick, in rotation order', () => {
    const b = balancerFor({ maxFailoverAttempts: 3 });
    const snap = snapshotOf(...backends(3));
    b.plan(snap, facts());
    expect(b.plan(snap, facts()).candidates).to.deep.equal(['http://b2', 'http://b3', 'http://b1']);
  });

  it('caps the candidates at maxFailoverAttempts + 1', () => {
    const b = balancerFor({ maxFailoverAttempts: 2 });
    expect(b.plan(snapshotOf(...backends(1000)), facts()).candidates).to.have.length(3);
    const zero = balancerFor({ maxFailoverAttempts: 0 });
    expect(zero.plan(snapshotOf(...backends(5)), facts()).candidates).to.deep.equal(['http://b1']);
  });

  it('skips cooling-down and draining backends for new requests', () => {
    const b = balancerFor({ maxFailoverAttempts: 5 });
    const snap = snapshotOf(...backends(4));
    b.reportFailure('http://b2');
    b.setDraining(snap, 'http://b3', true);
    const firsts = [0, 1, 2, 3].map(() => b.plan(snap, facts()).candidates[0]);
    expect(firsts).to.deep.equal(['http://b1', 'http://b4', 'http://b1', 'http://b4']);
    expect(b.plan(snap, facts()).candidates).to.deep.equal(['http://b1', 'http://b4', 'http://b3', 'http://b2']);
  });

  it('never puts a backend that just failed first, nor repeats one, while others are up', () => {
    const b = balancerFor({ maxFailoverAttempts: 10 });
    const snap = snapshotOf(...backends(3));
    for (let i = 0; i < 9; i++) {
      const plan = b.plan(snap, facts());
      const failed = plan.candidates[0] ?? '';
      b.reportFailure(failed);
      const retry = b.plan(snap, facts());
      expect(retry.candidates[0]).to.not.equal(failed);
      expect(new Set(retry.candidates).size).to.equal(retry.candidates.length);
      b.reportSuccess(failed);
    }
  });

  it('uses every backend in list-rotation order when all are cooling down', () => {
    const b = balancerFor();
    const snap = snapshotOf(...backends(3));
    for (const url of backends(3)) b.reportFailure(url);
    const plan = b.plan(snap, facts());
    expect([...plan.candidates].sort()).to.deep.equal(backends(3));
  });

  it('gives an empty candidate list for an empty snapshot', () => {
    expect(balancerFor().plan(snapshotOf(), facts()).candidates).to.deep.equal([]);
  });

  it('advances once per call and keeps the order when the pool length is stable', () => {
    const rr = createRoundRobin();
    expect([rr.next(3), rr.peek(3), rr.next(3), rr.next(3), rr.next(3)]).to.deep.equal([0, 1, 1, 2, 0]);
    expect(rr.next(0)).to.equal(0);
  });
});

describe('least requests', () => {
  it('picks the less loaded of two distinct random choices, ties to the lower slot', () => {
    const cases = [
      { desc: 'fewer in flight wins', loads: [5, 1], want: 1 },
      { desc: 'tie goes to lower slot', loads: [2, 2], want: 0 },
    ];
    for (const c of cases) {
      const draws = [0.1, 0.9];
      let i = 0;
      const slot = pickLeastRequests(2, (s) => c.loads[s] ?? 0, () => draws[i++ % 2] ?? 0);
      expect(slot, c.desc).to.equal(c.want);
    }
  });

  it('never draws the same slot twice', () => {
    const random = seededRandom(3);
    for (let n = 0; n < 500; n++) {
      const seen: number[] = [];
      pickLeastRequests(3, (s) => { seen.push(s); return 0; }, random);
      expect(seen[0]).to.not.equal(seen[1]);
    }
  });

  it('steers new requests away from the backend with requests in flight', () => {
    const b = balancerFor({ loadBalancingPolicy: 'leastRequests' }, { random: seededRandom(9) });
    const snap = snapshotOf(...backends(2));
    for (let i = 0; i < 10; i++) b.begin('http://b1');
    for (let i = 0; i < 20; i++) expect(b.plan(snap, facts()).candidates[0]).to.equal('http://b2');
    for (let i = 0; i < 10; i++) b.end('http://b1');
    b.end('http://b1'); // an extra end never goes negative
    expect(b.status(snap).map((s) => s.inFlight)).to.deep.equal([0, 0]);
  });
});

describe('random policy', () => {
  it('spreads over every healthy backend and never picks a cooling one', () => {
    const b = balancerFor({ loadBalancingPolicy: 'random' }, { random: seededRandom(5) });
    const snap = snapshotOf(...backends(4));
    b.reportFailure('http://b4');
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(b.plan(snap, facts()).candidates[0] ?? '');
    expect([...seen].sort()).to.deep.equal(['http://b1', 'http://b2', 'http://b3']);
  });

  it('stays in range when random() returns a value just below 1', () => {
    expect(pickRandom(3, () => 0.9999999999)).to.equal(2);
  });
});

describe('load balancing off (active/passive)', () => {
  const cases = [
    { desc: 'all up: first is primary, list order', failed: [] as string[], want: ['http://b1', 'http://b2', 'http://b3'] },
    { desc: 'primary cooling: next takes over, failed last', failed: ['http://b1'], want: ['http://b2', 'http://b3', 'http://b1'] },
    { desc: 'two cooling: the healthy one first', failed: ['http://b1', 'http://b2'], want: ['http://b3', 'http://b1', 'http://b2'] },
    { desc: 'all cooling: list order', failed: backends(3), want: ['http://b1', 'http://b2', 'http://b3'] },
  ];
  for (const c of cases) {
    it(`orders candidates: ${c.desc}`, () => {
      const b = balancerFor({ enableLoadBalancing: false, enableStickySession: true });
      const snap = snapshotOf(...backends(3));
      for (const url of c.failed) b.reportFailure(url);
      const plan = b.plan(snap, facts());
      expect(plan.candidates).to.deep.equal(c.want);
      expect(plan.sticky).to.deep.equal({ kind: 'none' });
      expect(b.setCookieFor(plan, plan.candidates[0] ?? '')).to.equal(undefined);
    });
  }

  it('sends every request to the same primary (no rotation)', () => {
    const b = balancerFor({ enableLoadBalancing: false });
    const snap = snapshotOf(...backends(3));
    expect([1, 2, 3].map(() => b.plan(snap, facts()).candidates[0])).to.deep.equal(['http://b1', 'http://b1', 'http://b1']);
  });
});
