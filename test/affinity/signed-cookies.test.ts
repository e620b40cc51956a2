import { expect } from 'chai';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways, type TestGateway } from '../helpers/gateway.js';
import type { StickyKeys } from '../../lib/balancing/index.js';
import { hiveXml, get, adminPost, hmacHex, sha256Hex, valueOf, pairOf, HIVE_COOKIE, tally } from './affinity-kit.js';

const KEY_A = 'key-A-0123456789abcdef';
const KEY_B = 'key-B-fedcba9876543210';
const KEY_WRONG = 'not-our-key-00000000000';

function keys(list: readonly string[], acceptKnoxCookies = false): StickyKeys {
  return { keys: list.map((k) => Buffer.from(k, 'utf8')), acceptKnoxCookies };
}

/** Three backends b1, b2, b3 and a gateway signing with `keyList`. */
async function setUp(keyList: readonly string[], acceptKnoxCookies = false): Promise<{ bs: TestBackend[]; gw: TestGateway; xml: string }> {
  const bs = [await startBackend('b1'), await startBackend('b2'), await startBackend('b3')];
  const xml = hiveXml(bs.map((b) => b.url));
  const gw = await startTestGateway({ admin: true, stickyKeys: keys(keyList, acceptKnoxCookies), xml: { t: xml } });
  return { bs, gw, xml };
}

/**
 * Drains `url` on `gw`: normal assignment never picks it any more, so a request that lands there
 * was routed by its cookie.
 */
async function drain(gw: TestGateway, url: string): Promise<void> {
  const r = await adminPost(gw.adminUrl ?? '', '/backends/drain', { topology: 't', service: 'HIVE', url });
  expect(r.status).to.equal(200);
}

/** A cookie for `target` issued by `gw` (asks until round robin lands there). */
async function cookieFor(gw: TestGateway, target: string): Promise<string> {
  for (let i = 0; i < 6; i++) {
    const a = await get(`${gw.base}/t/hive`);
    if (a.backend === target && a.sticky !== undefined) return valueOf(a.sticky);
  }
  throw new Error(`no cookie for ${target}`);
}

describe('affinity: signed sticky cookies', () => {
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('signs cookies with HMAC-SHA256 under the first key (never the plain Knox hash)', async () => {
    const { bs, gw } = await setUp([KEY_A]);
    for (let i = 0; i < 3; i++) {
      const a = await get(`${gw.base}/t/hive`);
      const served = bs.find((b) => b.name === a.backend);
      expect(a.sticky).to.equal(`${HIVE_COOKIE}=${hmacHex(KEY_A, served?.url ?? '')}; Path=/gateway/t; HttpOnly`);
    }
  });

  it('honours a cookie signed by another instance given the same keys', async () => {
    const { bs, gw, xml } = await setUp([KEY_A]);
    const b2 = bs[1] as TestBackend;
    const value = await cookieFor(gw, 'b2');
    const other = await startTestGateway({ admin: true, stickyKeys: keys([KEY_A]), xml: { t: xml } });
    await drain(other, b2.url);
    for (let i = 0; i < 3; i++) {
      const a = await get(`${other.base}/t/hive`, { cookie: `${HIVE_COOKIE}=${value}` });
      expect(a.backend).to.equal('b2');
      expect(a.sticky).to.equal(undefined);
    }
  });

  describe('key rotation', () => {
    it('accepts old-key cookies after a rotation and re-issues them signed with the new key; drops them once the old key is removed', async () => {
      const { bs, gw: withA, xml } = await setUp([KEY_A]);
      const b2 = bs[1] as TestBackend;
      const oldValue = await cookieFor(withA, 'b2');
      expect(oldValue).to.equal(hmacHex(KEY_A, b2.url));
      await withA.close();

      // Restart with [B, A]: the A cookie still pins b2 (drained, so only the cookie can lead there).
      const withBA = await startTestGateway({ admin: true, stickyKeys: keys([KEY_B, KEY_A]), xml: { t: xml } });
      await drain(withBA, b2.url);
      const rotated = await get(`${withBA.base}/t/hive`, { cookie: `${HIVE_COOKIE}=${oldValue}` });
      expect(rotated.backend).to.equal('b2');
      expect(rotated.sticky).to.equal(`${HIVE_COOKIE}=${hmacHex(KEY_B, b2.url)}; Path=/gateway/t; HttpOnly`);
      const again = await get(`${withBA.base}/t/hive`, { cookie: pairOf(rotated.sticky ?? '') });
      expect(again.backend).to.equal('b2');
      expect(again.sticky, 'a new-key cookie is not re-issued').to.equal(undefined);
      await withBA.close();

      // Then [B] only: the A cookie is ignored (fresh assignment, never the drained b2), the B one kept.
      const withB = await startTestGateway({ admin: true, stickyKeys: keys([KEY_B]), xml: { t: xml } });
      await drain(withB, b2.url);
      const dropped = await get(`${withB.base}/t/hive`, { cookie: `${HIVE_COOKIE}=${oldValue}` });
      expect(dropped.backend).to.be.oneOf(['b1', 'b3']);
      const fresh = bs.find((b) => b.name === dropped.backend);
      expect(dropped.sticky).to.equal(`${HIVE_COOKIE}=${hmacHex(KEY_B, fresh?.url ?? '')}; Path=/gateway/t; HttpOnly`);
      const kept = await get(`${withB.base}/t/hive`, { cookie: pairOf(rotated.sticky ?? '') });
      expect(kept.backend).to.equal('b2');
    });
  });

  describe('plain Knox cookies', () => {
    it('are ignored while signing, without accepting Knox cookies', async () => {
      const { bs, gw } = await setUp([KEY_A]);
      const b2 = bs[1] as TestBackend;
      await drain(gw, b2.url);
      const a = await get(`${gw.base}/t/hive`, { cookie: `${HIVE_COOKIE}=${sha256Hex(b2.url)}` });
      expect(a.backend).to.be.oneOf(['b1', 'b3']);
      expect(valueOf(a.sticky ?? '')).to.equal(hmacHex(KEY_A, bs.find((b) => b.name === a.backend)?.url ?? ''));
    });

    it('are honoured with acceptKnoxCookies (migration from Knox) and re-issued signed', async () => {
      const { bs, gw } = await setUp([KEY_A], true);
      const b2 = bs[1] as TestBackend;
      await drain(gw, b2.url);
      const a = await get(`${gw.base}/t/hive`, { cookie: `${HIVE_COOKIE}=${sha256Hex(b2.url)}` });
      expect(a.backend).to.equal('b2');
      expect(valueOf(a.sticky ?? '')).to.equal(hmacHex(KEY_A, b2.url));
    });
  });

  describe('forged and tampered cookies', () => {
    // Every value below "names" b2 one way or another. b2 is drained, so normal assignment never
    // picks it: landing there would mean the forged value routed the request.
    const forgeries: readonly { desc: string; value: (url: string, genuine: string) => string }[] = [
      { desc: 'the plain SHA-256 of the URL (Knox cookie, not accepted)', value: (url) => sha256Hex(url) },
      { desc: 'an HMAC of the URL under a wrong key', value: (url) => hmacHex(KEY_WRONG, url) },
      { desc: 'an HMAC of the URL with the key as data', value: (url) => hmacHex(url, KEY_A) },
      { desc: 'the SHA-256 of key and URL concatenated', value: (url) => sha256Hex(KEY_A + url) },
      { desc: 'a genuine token truncated by one digit', value: (_u, g) => g.slice(0, 63) },
      { desc: 'a genuine token with one digit appended', value: (_u, g) => `${g}0` },
      { desc: 'a genuine token with its last digit changed', value: (_u, g) => g.slice(0, 63) + (g.endsWith('0') ? '1' : '0') },
      { desc: 'a genuine token upper-cased', value: (_u, g) => g.toUpperCase() },
      { desc: 'a genuine token with its first letter upper-cased', value: (_u, g) => g.replace(/[a-f]/, (c) => c.toUpperCase()) },
      { desc: 'a genuine token with its halves swapped', value: (_u, g) => g.slice(32) + g.slice(0, 32) },
      { desc: 'a genuine token reversed', value: (_u, g) => [...g].reverse().join('') },
      { desc: 'a wrong-key HMAC with extra dots around it', value: (url) => `.${hmacHex(KEY_WRONG, url)}..` },
      { desc: 'a Knox hash behind a wrong-key HMAC (re-ordered routes of forgeries)', value: (url) => `${hmacHex(KEY_WRONG, url)}.${sha256Hex(url)}` },
      { desc: 'a genuine token split by a dot', value: (_u, g) => `${g.slice(0, 32)}.${g.slice(32)}` },
      { desc: 'the backend URL itself', value: (url) => url },
      { desc: 'a quoted wrong-key HMAC', value: (url) => `"${hmacHex(KEY_WRONG, url)}"` },
    ];
    for (const f of forgeries) {
      it(`never routes ${f.desc} to the backend it names`, async () => {
        const { bs, gw } = await setUp([KEY_A], false);
        const b2 = bs[1] as TestBackend;
        await drain(gw, b2.url);
        const genuine = hmacHex(KEY_A, b2.url);
        const before = b2.requests;
        const seen: string[] = [];
        for (let i = 0; i < 4; i++) {
          const a = await get(`${gw.base}/t/hive`, { cookie: `${HIVE_COOKIE}=${f.value(b2.url, genuine)}` });
          expect(a.status).to.equal(200);
          seen.push(a.backend);
          // The forged value is replaced by a genuine cookie for the backend that served.
          expect(valueOf(a.sticky ?? '')).to.equal(hmacHex(KEY_A, bs.find((b) => b.name === a.backend)?.url ?? ''));
        }
        expect(seen.every((n) => n === 'b1' || n === 'b3'), seen.join(',')).to.equal(true);
        expect(b2.requests).to.equal(before);
        // The genuine token still works (the drained backend keeps its real sessions).
        expect((await get(`${gw.base}/t/hive`, { cookie: `${HIVE_COOKIE}=${genuine}` })).backend).to.equal('b2');
      });
    }

    it('leaves the round-robin distribution unchanged by forged cookies', async () => {
      const { bs, gw } = await setUp([KEY_A], false);
      const b1 = bs[0] as TestBackend;
      const forged = [sha256Hex(b1.url), hmacHex(KEY_WRONG, b1.url), hmacHex(KEY_A, b1.url).toUpperCase()];
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) seen.push((await get(`${gw.base}/t/hive`, { cookie: `${HIVE_COOKIE}=${forged[i % 3] ?? ''}` })).backend);
      expect(Object.fromEntries(tally(seen))).to.deep.equal({ b1: 10, b2: 10, b3: 10 });
    });
  });
});
