import { expect } from 'chai';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways } from '../helpers/gateway.js';
import { hiveXml, get, pairOf, HIVE_COOKIE } from './affinity-kit.js';

/** Splits a Set-Cookie header into its pair and attributes (names lower-cased, flag attributes → ''). */
function attributesOf(setCookie: string): { pair: string; attrs: Map<string, string> } {
  const [pair = '', ...rest] = setCookie.split(';').map((s) => s.trim());
  const attrs = new Map<string, string>();
  for (const a of rest) {
    const eq = a.indexOf('=');
    attrs.set((eq < 0 ? a : a.slice(0, eq)).toLowerCase(), eq < 0 ? '' : a.slice(eq + 1));
  }
  return { pair, attrs };
}

const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

interface Case {
  readonly desc: string;
  readonly attrs: Readonly<Record<string, string | number>>;
  /** Expected attributes besides Path and HttpOnly (Expires is checked separately). */
  readonly expected: Readonly<Record<string, string>>;
}

const cases: readonly Case[] = [
  { desc: 'a session cookie (no Max-Age, Expires or SameSite) by default', attrs: {}, expected: {} },
  { desc: 'Max-Age and a matching Expires with stickySessionCookieMaxAge', attrs: { stickySessionCookieMaxAge: 3600 }, expected: { 'max-age': '3600' } },
  { desc: 'SameSite=Strict without Secure over plain HTTP', attrs: { stickySessionCookieSameSite: 'Strict' }, expected: { samesite: 'Strict' } },
  { desc: 'SameSite=Lax without Secure over plain HTTP', attrs: { stickySessionCookieSameSite: 'Lax' }, expected: { samesite: 'Lax' } },
  { desc: 'SameSite=None with Secure forced even over plain HTTP', attrs: { stickySessionCookieSameSite: 'None' }, expected: { samesite: 'None', secure: '' } },
  {
    desc: 'Max-Age, Expires and SameSite together',
    attrs: { stickySessionCookieMaxAge: 86400, stickySessionCookieSameSite: 'Lax' },
    expected: { 'max-age': '86400', samesite: 'Lax' },
  },
];

describe('affinity: sticky cookie lifetime and SameSite attributes', () => {
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('refuses stickySessionCookieMaxAge="0" at load (Max-Age=0 would make browsers delete the cookie at once)', async () => {
    const b1 = await startBackend('b1');
    let err: unknown;
    try {
      await startTestGateway({ xml: { t: hiveXml([b1.url], { stickySessionCookieMaxAge: 0 }) } });
    } catch (e) {
      err = e;
    }
    expect(err, 'the gateway does not start with a zero Max-Age').to.be.instanceOf(Error);
    expect(String(err)).to.include('stickySessionCookieMaxAge');
  });

  for (const c of cases) {
    it(`sets ${c.desc}, on the first cookie and on a re-issued one`, async () => {
      const b1 = await startBackend('b1');
      const b2 = await startBackend('b2');
      const gw = await startTestGateway({ xml: { t: hiveXml([b1.url, b2.url], { ...c.attrs, stickySessionRankedRoutes: 2 }) } });
      const before = Date.now();
      const first = await get(`${gw.base}/t/hive`);
      const after = Date.now();
      const served: TestBackend = first.backend === 'b1' ? b1 : b2;
      await served.kill();
      const moved = await get(`${gw.base}/t/hive`, { cookie: pairOf(first.sticky ?? '') });
      expect(moved.backend).to.not.equal(first.backend);
      for (const setCookie of [first.sticky, moved.sticky]) {
        expect(setCookie).to.be.a('string');
        const { pair, attrs } = attributesOf(setCookie ?? '');
        expect(pair.startsWith(`${HIVE_COOKIE}=`)).to.equal(true);
        const expires = attrs.get('expires');
        attrs.delete('expires');
        expect(Object.fromEntries(attrs)).to.deep.equal({ path: '/gateway/t', httponly: '', ...c.expected });
        const maxAge = c.expected['max-age'];
        if (maxAge === undefined) {
          expect(expires).to.equal(undefined);
          continue;
        }
        expect(expires).to.match(IMF_FIXDATE);
        // Expires = now + Max-Age, at one-second resolution (the moved cookie is checked loosely).
        const at = Date.parse(expires ?? '');
        expect(at).to.be.within(Math.floor(before / 1000) * 1000 + Number(maxAge) * 1000, after + Number(maxAge) * 1000 + 60_000);
      }
    });
  }
});
