import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { startBackend, closeBackends, refusedUrl, type TestBackend } from '../helpers/backends.js';
import { startHarness, closeHarnesses } from '../helpers/dispatch-harness.js';
import { call, backendOf } from './http-client.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

async function three(): Promise<TestBackend[]> {
  return [await startBackend('b1'), await startBackend('b2'), await startBackend('b3')];
}

describe('dispatch: backend selection', () => {
  afterEach(async () => { await closeHarnesses(); await closeBackends(); });

  it('sends everything to the first backend without load balancing (active/passive)', async () => {
    const [b1, b2] = await three() as [TestBackend, TestBackend, TestBackend];
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url, b2.url] } });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(backendOf(await call(h.base)));
    expect(seen).to.deep.equal(['b1', 'b1', 'b1', 'b1']);
  });

  it('fails over to the next backend when the active one is down, and stays there', async () => {
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'HIVE', urls: [await refusedUrl(), b2.url] } });
    expect(backendOf(await call(h.base))).to.equal('b2');
    expect(backendOf(await call(h.base))).to.equal('b2');
    expect(h.sleeps).to.deep.equal([1000]); // the second request skips the cooling backend
  });

  it('round-robins b1, b2, b3, b1 with load balancing', async () => {
    const bs = await three();
    const h = await startHarness({ service: { name: 'HIVE', enableLoadBalancing: true, urls: bs.map((b) => b.url) } });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(backendOf(await call(h.base)));
    expect(seen).to.deep.equal(['b1', 'b2', 'b3', 'b1']);
  });

  it('keeps using the other backends while one is slow (200 parallel requests)', async () => {
    const slow = await startBackend('slow', (_req, res) => { setTimeout(() => { res.writeHead(200, { 'x-backend': 'slow' }); res.end(); }, 300); });
    const b2 = await startBackend('b2');
    const b3 = await startBackend('b3');
    const h = await startHarness({ service: { name: 'HIVE', enableLoadBalancing: true, urls: [slow.url, b2.url, b3.url] } });
    const replies = await Promise.all(Array.from({ length: 200 }, () => call(h.base)));
    const count = (n: string): number => replies.filter((r) => backendOf(r) === n).length;
    expect(replies.every((r) => r.status === 200)).to.equal(true);
    expect(count('b2') + count('b3')).to.be.greaterThan(120);
    expect(count('slow')).to.be.within(60, 70);
  });

  it('skips a backend that just failed for the next requests (passive health cool-down)', async () => {
    const b1 = await startBackend('b1');
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'HIVE', enableLoadBalancing: true, urls: [b1.url, b2.url] } });
    await b1.kill();
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(backendOf(await call(h.base)));
    expect(seen).to.deep.equal(['b2', 'b2', 'b2', 'b2']);
    expect(h.sleeps).to.have.length(1);
  });

  describe('sticky sessions', () => {
    const cookieName = 'KNOX_BACKEND-HIVE';
    const sticky = (urls: string[]) => ({ name: 'HIVE', enableLoadBalancing: true, enableStickySession: true, urls });

    it('sets the cookie on the first response only, and the cookie keeps the backend', async () => {
      const bs = await three();
      const h = await startHarness({ service: sticky(bs.map((b) => b.url)) });
      const first = await call(h.base);
      const setCookie = first.headers['set-cookie'] ?? [];
      expect(setCookie).to.have.length(1);
      expect(setCookie[0]).to.match(new RegExp(`^${cookieName}=[0-9a-f]{64}; Path=/gateway/sandbox; HttpOnly$`));
      const cookie = setCookie[0]!.split(';')[0]!;
      for (let i = 0; i < 3; i++) {
        const next = await call(h.base, { headers: { cookie } });
        expect(backendOf(next)).to.equal(backendOf(first));
        expect(next.headers['set-cookie']).to.equal(undefined);
      }
    });

    it('routes a Knox cookie (sha256 of the listed URL) to its backend and does not forward it', async () => {
      const bs = await three();
      const h = await startHarness({ service: sticky(bs.map((b) => b.url)) });
      const reply = await call(h.base, { headers: { cookie: `a=1; ${cookieName}=${sha256(bs[2]!.url)}; b=2` } });
      expect(backendOf(reply)).to.equal('b3');
      expect(bs[2]!.last?.headers.cookie).to.equal('a=1; b=2');
    });

    it('keeps the backend\'s own Set-Cookie headers next to ours', async () => {
      const b1 = await startBackend('b1', (_req, res) => {
        res.setHeader('set-cookie', ['JSESSIONID=abc; Path=/', 'other=1']);
        res.end('ok');
      });
      const h = await startHarness({ service: sticky([b1.url]) });
      const reply = await call(h.base);
      expect(reply.headers['set-cookie']).to.have.length(3);
      expect(reply.headers['set-cookie']![0]).to.equal('JSESSIONID=abc; Path=/');
      expect(reply.headers['set-cookie']![2]).to.match(/^KNOX_BACKEND-HIVE=/);
    });
  });
});
