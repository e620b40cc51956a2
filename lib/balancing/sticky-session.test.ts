import { expect } from 'chai';
import { balancerFor, cookiePair, facts, manualClock, snapshotOf } from './test-kit.test.js';
import { knoxCookieValue } from './index.js';

const H1 = 'http://host1.valid';
const H2 = 'http://host2.valid';
const H3 = 'http://host3.valid';
const V1 = '9e31fc13ea4bd8975ee7a7f50b66bbe701ec7afa8d5bf702a846aff2e0f0dc7c';
const V2 = '59973e253ae20de796c6ef413608ec1c80fca24310a4cbdecc0ff97aeea55745';
const NAME = 'KNOX_BACKEND-HIVE';
const sticky = { enableStickySession: true } as const;

describe('sticky session cookie (Knox format)', () => {
  const snap = snapshotOf(H1, H2, H3);

  it('sets KNOX_BACKEND-HIVE to the SHA-256 of the serving URL on the first response', () => {
    const b = balancerFor(sticky);
    const plan = b.plan(snap, facts());
    expect(plan.sticky).to.deep.equal({ kind: 'absent' });
    expect(plan.stickyOutcome).to.equal('miss');
    expect(b.setCookieFor(plan, H1)).to.equal(`${NAME}=${V1}; Path=/gateway/sandbox; HttpOnly`);
    expect(b.setCookieFor(plan, H2)).to.equal(`${NAME}=${V2}; Path=/gateway/sandbox; HttpOnly`);
    expect(knoxCookieValue(H2)).to.equal(V2);
  });

  it('honours a Knox cookie (test vector) and sets no cookie again', () => {
    const b = balancerFor(sticky);
    for (let i = 0; i < 4; i++) {
      const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${V2}` }));
      expect(plan.candidates[0]).to.equal(H2);
      expect(plan.sticky).to.deep.equal({ kind: 'valid', routes: [H2] });
      expect(plan.stickyOutcome).to.equal('hit');
      expect(b.setCookieFor(plan, H2)).to.equal(undefined);
    }
  });

  it('re-issues the cookie when another backend served (failover)', () => {
    const b = balancerFor(sticky);
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${V2}` }));
    expect(plan.candidates.slice(1)).to.not.include(H2);
    expect(cookiePair(b.setCookieFor(plan, H1))).to.equal(`${NAME}=${V1}`);
  });

  it('uses the configured cookie name with the role appended', () => {
    const b = balancerFor({ ...sticky, stickySessionCookieName: 'HA' });
    expect(b.plan(snap, facts({ cookieHeader: `HA-HIVE=${V2}` })).candidates[0]).to.equal(H2);
    expect(b.plan(snap, facts({ cookieHeader: `${NAME}=${V2}` })).sticky.kind).to.equal('absent');
  });

  const headers = [
    { desc: 'cookie not first (KNOX-2863)', header: `JSESSIONID=abc; hive.server2.proxy.user=x; ${NAME}=${V2}` },
    { desc: 'garbage cookie of our name first, valid second', header: `${NAME}=garbage; ${NAME}=${V2}` },
    { desc: 'stale cookie first, valid second', header: `${NAME}=${'0'.repeat(64)}; ${NAME}=${V2}` },
    { desc: 'no space after separator', header: `a=1;${NAME}=${V2};b=2` },
    { desc: 'quoted value', header: `${NAME}="${V2}"` },
    { desc: 'look-alike names around it', header: `X${NAME}=${V1}; ${NAME}2=${V1}; ${NAME}=${V2}` },
  ];
  for (const h of headers) {
    it(`finds the valid cookie: ${h.desc}`, () => {
      const plan = balancerFor(sticky).plan(snap, facts({ cookieHeader: h.header }));
      expect(plan.candidates[0]).to.equal(H2);
      expect(plan.cookieCarried).to.equal(true);
    });
  }

  it('replaces a stale cookie whose backend left the snapshot', () => {
    const b = balancerFor(sticky);
    const gone = knoxCookieValue('http://old.valid');
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${gone}` }));
    expect(plan.sticky).to.deep.equal({ kind: 'invalid' });
    expect(plan.reassignCause).to.equal('backend_gone');
    expect(plan.cookieCarried).to.equal(true);
    expect(cookiePair(b.setCookieFor(plan, plan.candidates[0] ?? ''))).to.equal(`${NAME}=${knoxCookieValue(plan.candidates[0] ?? '')}`);
  });

  const garbage = [
    { desc: 'empty', value: '' },
    { desc: 'word', value: 'hello' },
    { desc: 'upper-case hash', value: V2.toUpperCase() },
    { desc: 'truncated hash', value: V2.slice(0, 63) },
    { desc: 'hash with a suffix', value: `${V2}x` },
    { desc: 'oversized', value: `${V2}.`.repeat(40) },
    { desc: 'only dots', value: '.'.repeat(900) },
    { desc: 'many dots then hash', value: `${'.'.repeat(500)}${V2}` },
    { desc: 'URL instead of hash', value: H2 },
    { desc: 'control characters', value: '\u0000\u0001\uffff' },
  ];
  for (const g of garbage) {
    it(`treats a garbage value as invalid, never throws and never routes by it: ${g.desc}`, () => {
      const b = balancerFor(sticky);
      const plans = [0, 1, 2].map(() => b.plan(snap, facts({ cookieHeader: `${NAME}=${g.value}` })));
      expect(plans.map((p) => p.sticky.kind)).to.deep.equal(['invalid', 'invalid', 'invalid']);
      expect(plans.map((p) => p.candidates[0])).to.deep.equal([H1, H2, H3]); // plain round robin
      expect(plans[0]?.reassignCause).to.equal('cookie_invalid');
      expect(b.setCookieFor(plans[0]!, H1)).to.be.a('string');
    });
  }

  it('ignores a value with extra routes beyond the configured count but re-issues it', () => {
    const b = balancerFor(sticky);
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${V2}.${V1}` }));
    expect(plan.sticky).to.deep.equal({ kind: 'valid', routes: [H2] });
    expect(cookiePair(b.setCookieFor(plan, H2))).to.equal(`${NAME}=${V2}`);
  });

  it('reports cookieCarried without sticky state when sticky is not effective', () => {
    const b = balancerFor({ enableStickySession: false });
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${V2}` }));
    expect(plan.sticky).to.deep.equal({ kind: 'none' });
    expect(plan.cookieCarried).to.equal(true);
    expect(b.setCookieFor(plan, H1)).to.equal(undefined);
  });
});

describe('Set-Cookie attributes', () => {
  const clock = manualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
  const cases = [
    { desc: 'plain HTTP: Path and HttpOnly', over: {}, secure: false, want: `; Path=/gateway/sandbox; HttpOnly` },
    { desc: 'TLS adds Secure', over: {}, secure: true, want: `; Path=/gateway/sandbox; HttpOnly; Secure` },
    {
      desc: 'Max-Age and Expires from the injected clock', over: { stickySessionCookieMaxAge: 3600 }, secure: false,
      want: `; Path=/gateway/sandbox; HttpOnly; Max-Age=3600; Expires=Fri, 02 Jan 2026 04:04:05 GMT`,
    },
    { desc: 'SameSite=Lax', over: { stickySessionCookieSameSite: 'Lax' as const }, secure: true, want: `; Path=/gateway/sandbox; HttpOnly; Secure; SameSite=Lax` },
    { desc: 'SameSite=None forces Secure', over: { stickySessionCookieSameSite: 'None' as const }, secure: false, want: `; Path=/gateway/sandbox; HttpOnly; Secure; SameSite=None` },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const b = balancerFor({ ...sticky, ...c.over }, { secure: c.secure, clock });
      const plan = b.plan(snapshotOf(H1), facts());
      expect(b.setCookieFor(plan, H1)).to.equal(`${NAME}=${V1}${c.want}`);
    });
  }

  it('sets no cookie for a URL outside the plan\'s snapshot', () => {
    const b = balancerFor(sticky);
    expect(b.setCookieFor(b.plan(snapshotOf(H1), facts()), H2)).to.equal(undefined);
  });
});

describe('stripStickyCookie', () => {
  const b = balancerFor(sticky);
  const cases = [
    { desc: 'only ours', header: `${NAME}=${V1}`, want: undefined },
    { desc: 'ours first', header: `${NAME}=${V1}; a=1; b="x y"`, want: 'a=1; b="x y"' },
    { desc: 'ours in the middle and twice', header: `a=1; ${NAME}=${V1}; b=2;${NAME}=zz`, want: 'a=1; b=2' },
    { desc: 'look-alikes are kept', header: `X${NAME}=1; ${NAME}2=2; ${NAME}=3`, want: `X${NAME}=1; ${NAME}2=2` },
    { desc: 'without ours: unchanged byte for byte', header: 'a=1;b=2 ;  c=3', want: 'a=1;b=2 ;  c=3' },
    { desc: 'blank', header: ' ', want: undefined },
    { desc: 'only ours, with whitespace around the name and value', header: ` ${NAME} = ${V1} `, want: undefined },
    { desc: 'a single look-alike pair', header: `${NAME}2=${V1}`, want: `${NAME}2=${V1}` },
    { desc: 'a single pair that only contains our name', header: `X${NAME}=${V1}`, want: `X${NAME}=${V1}` },
    { desc: 'our name without "="', header: `${NAME}`, want: `${NAME}` },
  ];
  for (const c of cases) {
    it(`removes every pair with our name and keeps the others: ${c.desc}`, () => {
      expect(b.stripStickyCookie(c.header)).to.equal(c.want);
    });
  }
});
