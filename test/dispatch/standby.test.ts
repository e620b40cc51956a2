import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startBackend, closeBackends } from '../helpers/backends.js';
import { startHarness, closeHarnesses } from '../helpers/dispatch-harness.js';
import { call, backendOf } from './http-client.js';

function answer(res: ServerResponse, name: string, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'x-backend': name, 'content-type': 'text/plain', ...headers });
  res.end(body);
}

describe('dispatch: service-specific standby detection (Knox)', () => {
  afterEach(async () => { await closeHarnesses(); await closeBackends(); });

  for (const marker of ['StandbyException', 'SafeModeException', 'RetriableException']) {
    it(`WEBHDFS: fails over on a 403 whose body contains ${marker}`, async () => {
      const b1 = await startBackend('b1', (_q, res) => { answer(res, 'b1', 403, `{"RemoteException":{"exception":"${marker}"}}`); });
      const b2 = await startBackend('b2');
      const h = await startHarness({ service: { name: 'WEBHDFS', urls: [b1.url, b2.url] } });
      const reply = await call(`${h.base}/v1/?op=LISTSTATUS`);
      expect(backendOf(reply)).to.equal('b2');
    });
  }

  it('WEBHDFS: passes a plain 403 through untouched', async () => {
    const b1 = await startBackend('b1', (_q, res) => { answer(res, 'b1', 403, 'AccessControlException: denied'); });
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'WEBHDFS', urls: [b1.url, b2.url] } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(403);
    expect(reply.body).to.equal('AccessControlException: denied');
    expect(b2.requests).to.equal(0);
  });

  it('WEBHDFS: passes the last standby answer through as-is when retries are exhausted', async () => {
    const standby = (name: string) => startBackend(name, (_q, res) => { answer(res, name, 403, 'StandbyException'); });
    const b1 = await standby('b1');
    const b2 = await standby('b2');
    const h = await startHarness({ service: { name: 'WEBHDFS', maxFailoverAttempts: 1, urls: [b1.url, b2.url] } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(403);
    expect(backendOf(reply)).to.equal('b2');
    expect(reply.body).to.equal('StandbyException');
  });

  it('WEBHDFS: a standby answer passed on when retries ran out does not clear that backend\'s cool-down', async () => {
    const standby = (name: string) => startBackend(name, (_q, res) => { answer(res, name, 403, 'StandbyException'); });
    const b1 = await standby('b1');
    const b2 = await standby('b2');
    const h = await startHarness({ service: { name: 'WEBHDFS', maxFailoverAttempts: 1, urls: [b1.url, b2.url] } });
    // First request: b1 standby (cooling down), b2's answer passed on. Second: b2 first (standby,
    // cooling down), then b1, whose standby answer is passed on and must leave b1 cooling down.
    expect((await call(h.base)).status).to.equal(403);
    expect((await call(h.base)).status).to.equal(403);
    const snapshot = { backends: [{ url: b1.url }, { url: b2.url }], origin: 'static', updatedAt: 0 } as unknown as Parameters<typeof h.balancer.status>[0];
    expect(h.balancer.status(snapshot).map((b) => b.state)).to.deep.equal(['cooling_down', 'cooling_down']);
  });

  it('WEBHDFS: a large 403 body without a marker streams through whole', async () => {
    const big = 'x'.repeat(200_000);
    const b1 = await startBackend('b1', (_q, res) => { answer(res, 'b1', 403, big); });
    const h = await startHarness({ service: { name: 'WEBHDFS', urls: [b1.url] } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(403);
    expect(reply.body.length).to.equal(big.length);
  });

  it('WEBHDFS: a held 403 (no marker) larger than the client socket\'s buffer is sent whole and ends (regression: hang)', async () => {
    const body = 'A'.repeat(30_000);
    const b1 = await startBackend('b1', (_q, res) => { answer(res, 'b1', 403, body); });
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'WEBHDFS', urls: [b1.url, b2.url] } });
    const reply = await call(h.base);
    expect([reply.status, backendOf(reply), reply.body.length]).to.deep.equal([403, 'b1', body.length]);
    expect(h.dispatcher.inFlight()).to.equal(0);
    expect(b2.requests).to.equal(0);
  });

  it('RESOURCEMANAGER with noFallback: a standby redirect never leads a cookie session outside its routes', async () => {
    const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
    const b3 = await startBackend('b3');
    const standby = (name: string) => startBackend(name, (_q, res) => { answer(res, name, 307, 'This is standby RM', { location: `${b3.url}/ws/x` }); });
    const b1 = await standby('b1');
    const b2 = await standby('b2');
    const urls = [`${b1.url}/ws`, `${b2.url}/ws`, `${b3.url}/ws`];
    const h = await startHarness({
      service: { name: 'RESOURCEMANAGER', enableLoadBalancing: true, enableStickySession: true, noFallback: true, stickySessionRankedRoutes: 2, urls },
    });
    const reply = await call(`${h.base}/x`, { headers: { cookie: `KNOX_BACKEND-RESOURCEMANAGER=${sha(urls[0]!)}.${sha(urls[1]!)}` } });
    expect(b3.requests).to.equal(0);
    expect(backendOf(reply)).not.to.equal('b3');
    expect(b1.requests + b2.requests).to.be.at.least(1);
  });

  it('RESOURCEMANAGER: a 307 "This is standby RM" fails over to its Location when that is a backend', async () => {
    const b3 = await startBackend('b3');
    const b2 = await startBackend('b2');
    const b1 = await startBackend('b1', (_q, res) => { answer(res, 'b1', 307, 'This is standby RM. Redirecting to the current active RM', { location: `${b3.url}/ws/v1/cluster/info` }); });
    const h = await startHarness({ service: { name: 'RESOURCEMANAGER', urls: [`${b1.url}/ws`, `${b2.url}/ws`, `${b3.url}/ws`] } });
    const reply = await call(`${h.base}/v1/cluster/info`);
    expect(backendOf(reply)).to.equal('b3');
    expect(b3.last?.url).to.equal('/ws/v1/cluster/info');
    expect(b2.requests).to.equal(0);
  });

  it('YARNUI: a 403 "This is standby RM" fails over to the next backend', async () => {
    const b1 = await startBackend('b1', (_q, res) => { answer(res, 'b1', 403, 'This is standby RM'); });
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'YARNUI', urls: [b1.url, b2.url] } });
    expect(backendOf(await call(h.base))).to.equal('b2');
  });

  const atlas = [
    { desc: 'ATLAS: a redirect that is not a login redirect fails over', role: 'ATLAS', status: 302, location: 'http://atlas-active.invalid:21000/', expect: 'b2' },
    { desc: 'ATLAS: a redirect to login.jsp is passed through (KNOX-1344)', role: 'ATLAS', status: 302, location: '/login.jsp', expect: 'b1' },
    { desc: 'ATLAS: a redirect with originalUrl is passed through', role: 'ATLAS', status: 307, location: '/login?originalUrl=/x', expect: 'b1' },
    { desc: 'ATLAS-API: any 307 with a Location fails over', role: 'ATLAS-API', status: 307, location: '/login.jsp', expect: 'b2' },
    { desc: 'ATLAS-API: a 200 is served', role: 'ATLAS-API', status: 200, location: '/x', expect: 'b1' },
  ] as const;
  for (const c of atlas) {
    it(c.desc, async () => {
      const b1 = await startBackend('b1', (_q, res) => { answer(res, 'b1', c.status, 'moved', { location: c.location }); });
      const b2 = await startBackend('b2');
      const h = await startHarness({ service: { name: c.role, urls: [b1.url, b2.url] } });
      const reply = await call(h.base);
      expect(backendOf(reply)).to.equal(c.expect);
      if (c.expect === 'b1') expect(reply.status).to.equal(c.status);
    });
  }

  it('does not apply standby detection to other roles', async () => {
    const b1 = await startBackend('b1', (_q, res) => { answer(res, 'b1', 403, 'StandbyException'); });
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url, b2.url] } });
    expect(backendOf(await call(h.base))).to.equal('b1');
  });
});
