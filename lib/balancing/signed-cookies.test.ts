import { expect } from 'chai';
import { backends, balancerFor, cookieValue, facts, snapshotOf } from './test-kit.test.js';
import { knoxCookieValue, type StickyKeys } from './index.js';
import { hmacSha256Hex } from './hash.js';

const NAME = 'KNOX_BACKEND-HIVE';
const NEW = Buffer.from('new-secret-0123456789');
const OLD = Buffer.from('old-secret-9876543210');
const urls = backends(3);
const snap = snapshotOf(...urls);

function signed(keys: StickyKeys, over: Record<string, unknown> = {}) {
  return balancerFor({ enableStickySession: true, ...over }, { keys });
}

describe('signed sticky cookies', () => {
  const rotation: StickyKeys = { keys: [NEW, OLD], acceptKnoxCookies: false };

  it('issues HMAC-SHA256(keys[0], URL) instead of the plain hash', () => {
    const b = signed(rotation);
    const value = cookieValue(b.setCookieFor(b.plan(snap, facts()), 'http://b2'));
    expect(value).to.equal(hmacSha256Hex(NEW, 'http://b2'));
    expect(value).to.not.equal(knoxCookieValue('http://b2'));
  });

  it('honours its own cookie and sets none again', () => {
    const b = signed(rotation);
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${hmacSha256Hex(NEW, 'http://b3')}` }));
    expect(plan.candidates[0]).to.equal('http://b3');
    expect(plan.stickyOutcome).to.equal('hit');
    expect(b.setCookieFor(plan, 'http://b3')).to.equal(undefined);
  });

  it('accepts a cookie signed with an old key and re-issues it with the new key', () => {
    const b = signed(rotation);
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${hmacSha256Hex(OLD, 'http://b3')}` }));
    expect(plan.candidates[0]).to.equal('http://b3');
    expect(plan.sticky.kind).to.equal('valid');
    expect(cookieValue(b.setCookieFor(plan, 'http://b3'))).to.equal(hmacSha256Hex(NEW, 'http://b3'));
  });

  it('re-signs every route of a ranked cookie with the new key', () => {
    const b = signed(rotation, { stickySessionRankedRoutes: 2 });
    const old = `${hmacSha256Hex(OLD, 'http://b1')}.${hmacSha256Hex(NEW, 'http://b2')}`;
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${old}` }));
    expect(plan.candidates[0]).to.equal('http://b1');
    expect(cookieValue(b.setCookieFor(plan, 'http://b1'))).to.equal(`${hmacSha256Hex(NEW, 'http://b1')}.${hmacSha256Hex(NEW, 'http://b2')}`);
  });

  const good = hmacSha256Hex(NEW, 'http://b3');
  const refused = [
    { desc: 'plain Knox hash without acceptKnoxCookies', value: knoxCookieValue('http://b3') },
    { desc: 'forged with another key', value: hmacSha256Hex(Buffer.from('attacker'), 'http://b3') },
    { desc: 'one character tampered', value: `${good.slice(0, 10)}${good[10] === 'a' ? 'b' : 'a'}${good.slice(11)}` },
    { desc: 'truncated', value: good.slice(0, 32) },
    { desc: 'halves reordered', value: `${good.slice(32)}${good.slice(0, 32)}` },
    { desc: 'signature of another string', value: hmacSha256Hex(NEW, 'http://b3/') },
  ];
  for (const r of refused) {
    it(`refuses ${r.desc} and routes normally`, () => {
      const b = signed(rotation);
      const plans = [0, 1, 2].map(() => b.plan(snap, facts({ cookieHeader: `${NAME}=${r.value}` })));
      expect(plans.map((p) => p.sticky.kind)).to.deep.equal(['invalid', 'invalid', 'invalid']);
      expect(plans.map((p) => p.candidates[0])).to.deep.equal(urls);
    });
  }

  it('accepts plain Knox hashes with acceptKnoxCookies and re-issues them signed', () => {
    const b = signed({ keys: [NEW], acceptKnoxCookies: true });
    const plan = b.plan(snap, facts({ cookieHeader: `${NAME}=${knoxCookieValue('http://b2')}` }));
    expect(plan.candidates[0]).to.equal('http://b2');
    expect(cookieValue(b.setCookieFor(plan, 'http://b2'))).to.equal(hmacSha256Hex(NEW, 'http://b2'));
  });

  it('is honoured by another balancer (gateway instance) given the same keys', () => {
    const a = signed(rotation);
    const other = signed(rotation);
    const value = cookieValue(a.setCookieFor(a.plan(snap, facts()), 'http://b2'));
    expect(other.plan(snap, facts({ cookieHeader: `${NAME}=${value}` })).candidates[0]).to.equal('http://b2');
  });
});
