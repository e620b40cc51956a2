import { expect } from 'chai';
import { request, Agent } from 'undici';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { eventually } from '../helpers/eventually.js';
import { startTestGateway, closeTestGateways, haXml } from '../helpers/gateway.js';

describe('gateway graceful shutdown', () => {
  let slow: TestBackend;

  beforeEach(async () => {
    slow = await startBackend('slow', (_req, res) => {
      setTimeout(() => { res.writeHead(200, { 'x-backend': 'slow' }); res.end('done'); }, 300);
    });
  });
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('finishes in-flight requests and refuses new connections', async () => {
    const gw = await startTestGateway({ xml: { t: haXml([{ name: 'S', urls: [slow.url] }]) } });
    const inFlight = [1, 2, 3].map(() => request(`${gw.base}/t/s`).then(async (r) => ({
      status: r.statusCode, connection: r.headers['connection'], body: await r.body.text(),
    })));
    await eventually(() => expect(slow.requests).to.equal(3));
    const closing = gw.gateway.close();
    const refused = await request(`${gw.base}/t/s`, { dispatcher: new Agent() }).then(() => 'answered', (e: NodeJS.ErrnoException) => e.code);
    expect(refused).to.equal('ECONNREFUSED');
    const answers = await Promise.all(inFlight);
    // Committed after shutdown began: each answer tells its keep-alive client the connection ends.
    expect(answers).to.deep.equal([1, 2, 3].map(() => ({ status: 200, connection: 'close', body: 'done' })));
    await closing;
  });

  it('does not wait for idle keep-alive connections', async () => {
    const gw = await startTestGateway({ xml: { t: haXml([{ name: 'S', urls: [slow.url] }]) }, shutdownTimeoutMs: 10000 });
    const agent = new Agent({ keepAliveTimeout: 60000 });
    const r = await request(`${gw.base}/t/s`, { dispatcher: agent });
    await r.body.text();
    const started = Date.now();
    await gw.gateway.close();
    expect(Date.now() - started).to.be.lessThan(2000);
    await agent.close();
  });

  it('cuts requests still running at the deadline', async () => {
    slow.hang();
    const gw = await startTestGateway({ xml: { t: haXml([{ name: 'S', urls: [slow.url], attrs: { responseTimeout: 60000 } }]) }, shutdownTimeoutMs: 300 });
    const pending = request(`${gw.base}/t/s`).then((r) => r.statusCode, (e: Error) => e.name);
    await eventually(() => expect(slow.requests).to.equal(1));
    const started = Date.now();
    await gw.gateway.close();
    expect(Date.now() - started).to.be.within(250, 3000);
    expect(await pending).not.to.equal(200);
  });
});
