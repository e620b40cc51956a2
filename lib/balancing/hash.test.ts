import { expect } from 'chai';
import { fmix32, hmacSha256Hex, rendezvousScore, sha256Hex } from './hash.js';
import { computeRouteTokens } from './cookie-signing.js';

describe('hash', () => {
  const vectors = [
    { desc: 'Knox test vector host2', url: 'http://host2.valid', hex: '59973e253ae20de796c6ef413608ec1c80fca24310a4cbdecc0ff97aeea55745' },
    { desc: 'Knox test vector host1', url: 'http://host1.valid', hex: '9e31fc13ea4bd8975ee7a7f50b66bbe701ec7afa8d5bf702a846aff2e0f0dc7c' },
  ];
  for (const v of vectors) {
    it(`sha256Hex matches the ${v.desc}`, () => {
      expect(sha256Hex(v.url)).to.equal(v.hex);
    });
  }

  it('HMAC-SHA256 is lower-case hex of 64 characters and depends on the key', () => {
    const a = hmacSha256Hex(Buffer.from('k1'), 'http://host1.valid');
    const b = hmacSha256Hex(Buffer.from('k2'), 'http://host1.valid');
    expect(a).to.match(/^[0-9a-f]{64}$/);
    expect(a).to.not.equal(b);
    // RFC 4231 test case 2
    expect(hmacSha256Hex(Buffer.from('Jefe'), 'what do ya want for nothing?'))
      .to.equal('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('fmix32 is unsigned and deterministic', () => {
    expect(fmix32(0)).to.equal(0);
    expect(fmix32(1)).to.equal(fmix32(1)).and.to.be.at.least(0);
  });

  it('rendezvous scores are exact integers below 2^53', () => {
    const s = rendezvousScore(0xffffffff, 0xffffffff, 0xffffffff);
    expect(Number.isSafeInteger(s)).to.equal(true);
  });
});

describe('computeRouteTokens', () => {
  it('issues the plain Knox hash without keys', () => {
    const t = computeRouteTokens('http://host1.valid', undefined);
    expect(t.issue).to.equal('9e31fc13ea4bd8975ee7a7f50b66bbe701ec7afa8d5bf702a846aff2e0f0dc7c');
    expect(t.accepted).to.deep.equal([{ token: t.issue, rank: 0 }]);
  });

  it('signs with the first key, accepts older keys with a higher rank', () => {
    const keys = { keys: [Buffer.from('new'), Buffer.from('old')], acceptKnoxCookies: false };
    const t = computeRouteTokens('http://h', keys);
    expect(t.issue).to.equal(hmacSha256Hex(Buffer.from('new'), 'http://h'));
    expect(t.accepted.map((a) => a.rank)).to.deep.equal([0, 1]);
    expect(t.accepted.map((a) => a.token)).to.not.include(sha256Hex('http://h'));
  });

  it('accepts the Knox hash only with acceptKnoxCookies, never as the issued token', () => {
    const t = computeRouteTokens('http://h', { keys: [Buffer.from('k')], acceptKnoxCookies: true });
    expect(t.issue).to.not.equal(sha256Hex('http://h'));
    expect(t.accepted.find((a) => a.token === sha256Hex('http://h'))?.rank).to.equal(1);
  });
});
