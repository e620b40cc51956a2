import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { failoversTotal, requestsTotal, noFallbackTotal, stickyBackupTakeoversTotal, stickyReassignmentsTotal, stickyTotal } from '../../lib/core/index.js';
import { startBackend, closeBackends, refusedUrl } from '../helpers/backends.js';
import { startHarness, closeHarnesses } from '../helpers/dispatch-harness.js';
import { call } from './http-client.js';

async function valueOf(metric: { get(): Promise<{ values: { labels: Record<string, string | number>; value: number }[] }> }, labels: Record<string, string>): Promise<number> {
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return hit?.value ?? 0;
}

describe('dispatch: metrics', () => {
  afterEach(async () => { await closeHarnesses(); await closeBackends(); });

  it('counts requests by backend and status class, and failovers by reason', async () => {
    const b2 = await startBackend('b2');
    const h = await startHarness({ topology: 'metrics-a', service: { name: 'HIVE', urls: [await refusedUrl(), b2.url] } });
    await call(h.base);
    expect(await valueOf(requestsTotal, { topology: 'metrics-a', backend: b2.url, status_class: '2xx' })).to.equal(1);
    expect(await valueOf(failoversTotal, { topology: 'metrics-a', reason: 'connect' })).to.equal(1);
  });

  it('counts noFallback 502s and error responses under backend "none"', async () => {
    const b1 = await startBackend('b1');
    const h = await startHarness({
      topology: 'metrics-b',
      service: { name: 'HIVE', enableLoadBalancing: true, enableStickySession: true, noFallback: true, urls: [b1.url] },
    });
    const cookie = (await call(h.base)).headers['set-cookie']![0]!.split(';')[0]!;
    await b1.kill();
    expect((await call(h.base, { headers: { cookie } })).status).to.equal(502);
    expect(await valueOf(noFallbackTotal, { topology: 'metrics-b' })).to.equal(1);
    expect(await valueOf(requestsTotal, { topology: 'metrics-b', backend: 'none', status_class: '5xx' })).to.equal(1);
  });

  // Review finding: with the cookie's primary gone, a failover onto its first listed backup was
  // counted as a sticky hit (that backup was taken for the primary).
  it('counts a session whose primary left the list as moved (backend_gone) when a backup serves after a failover', async () => {
    const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
    const b1 = await startBackend('b1');
    const b2 = await startBackend('b2');
    const h = await startHarness({
      topology: 'metrics-c',
      service: { name: 'HIVE', enableLoadBalancing: true, enableStickySession: true, stickySessionRankedRoutes: 3, urls: [b1.url, b2.url] },
    });
    // b1 cools down (it comes after every live route), b2 is down: b2 is tried first, then b1 serves.
    h.balancer.reportFailure(b1.url);
    await b2.kill();
    const cookie = `KNOX_BACKEND-HIVE=${sha('http://gone.example:1')}.${sha(b1.url)}.${sha(b2.url)}`;
    expect((await call(h.base, { headers: { cookie } })).status).to.equal(200);
    const labels = { topology: 'metrics-c' };
    expect(await valueOf(stickyTotal, { ...labels, outcome: 'hit' })).to.equal(0);
    expect(await valueOf(stickyTotal, { ...labels, outcome: 'moved' })).to.equal(1);
    expect(await valueOf(stickyReassignmentsTotal, { ...labels, cause: 'backend_gone' })).to.equal(1);
    expect(await valueOf(stickyBackupTakeoversTotal, labels)).to.equal(1);
  });
});
