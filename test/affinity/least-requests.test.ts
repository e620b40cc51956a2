import { expect } from 'chai';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways } from '../helpers/gateway.js';
import { haXml } from '../helpers/gateway.js';
import { get, fanOut, keepAliveAgent, tally } from './affinity-kit.js';

const REQUESTS = 300;
const CONCURRENCY = 30;
const SLOW_MS = 200;

/** The number of requests the slow backend answered out of {@link REQUESTS} under `policy`. */
async function slowCount(policy: 'roundRobin' | 'leastRequests'): Promise<{ slow: number; counts: Record<string, number> }> {
  // The slow backend is listed first, so it would also win every tie on position.
  const slow: TestBackend = await startBackend('slow', (_req, res, b) => {
    setTimeout(() => { res.writeHead(200, { 'x-backend': b.name }); res.end(b.name); }, SLOW_MS);
  });
  const fast = [await startBackend('fast1'), await startBackend('fast2')];
  const gw = await startTestGateway({
    xml: { t: haXml([{ name: 'HIVE', urls: [slow.url, ...fast.map((b) => b.url)], attrs: { enableLoadBalancing: true, loadBalancingPolicy: policy } }]) },
  });
  const agent = keepAliveAgent(CONCURRENCY);
  try {
    const answers = await fanOut(REQUESTS, CONCURRENCY, () => get(`${gw.base}/t/hive`, { dispatcher: agent }));
    expect(answers.every((a) => a.status === 200)).to.equal(true);
    const counts = Object.fromEntries(tally(answers.map((a) => a.backend)));
    return { slow: counts['slow'] ?? 0, counts };
  } finally {
    await agent.close();
    await gw.close();
    await closeBackends();
  }
}

describe('affinity: loadBalancingPolicy', function () {
  this.timeout(60_000);
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('sends fewer requests to a slow backend with leastRequests than with roundRobin', async () => {
    const rr = await slowCount('roundRobin');
    const lr = await slowCount('leastRequests');
    expect(rr.slow, `roundRobin ${JSON.stringify(rr.counts)}`).to.equal(REQUESTS / 3);
    expect(lr.slow, `leastRequests ${JSON.stringify(lr.counts)} vs roundRobin ${JSON.stringify(rr.counts)}`).to.be.below(rr.slow);
  });
});
