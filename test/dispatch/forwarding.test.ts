import { expect } from 'chai';
import { startBackend, closeBackends, refusedUrl } from '../helpers/backends.js';
import { startHarness, closeHarnesses } from '../helpers/dispatch-harness.js';
import { call, backendOf, errorOf } from './http-client.js';

describe('dispatch: forwarding', () => {
  afterEach(async () => { await closeHarnesses(); await closeBackends(); });

  it('forwards to {backend URL}{rest}{search} and streams the answer back', async () => {
    const b1 = await startBackend('b1', (req, res) => { res.writeHead(200, { 'x-backend': 'b1' }); res.end(`${req.method} ${req.url}`); });
    const h = await startHarness({ service: { name: 'WEBHDFS', urls: [`${b1.url}/webhdfs/`] } });
    const reply = await call(`${h.base}/v1/tmp?op=LISTSTATUS&user.name=x`);
    expect(reply.status).to.equal(200);
    expect(backendOf(reply)).to.equal('b1');
    expect(reply.body).to.equal('GET /webhdfs/v1/tmp?op=LISTSTATUS&user.name=x');
  });

  it('sends / when both the base path and rest are empty', async () => {
    const b1 = await startBackend('b1', (req, res) => { res.end(req.url); });
    const h = await startHarness({ service: { name: 'WHOAMI', urls: [b1.url] } });
    expect((await call(h.base)).body).to.equal('/');
  });

  it('answers 503 HAD_ERR_NO_BACKEND when no backend is known', async () => {
    const h = await startHarness({ service: { name: 'HIVE', urls: [] } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(503);
    expect(reply.headers['content-type']).to.equal('application/json');
    expect(errorOf(reply).code).to.equal('HAD_ERR_NO_BACKEND');
    h.setBackends(undefined);
    expect((await call(h.base)).status).to.equal(503);
  });

  it('answers 502 HAD_ERR_UPSTREAM_CONNECT without backend URLs when every backend refuses', async () => {
    const dead = [await refusedUrl(), await refusedUrl()];
    const h = await startHarness({ service: { name: 'HIVE', urls: dead } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(502);
    expect(errorOf(reply)).to.deep.equal({ code: 'HAD_ERR_UPSTREAM_CONNECT', message: 'Service connection error' });
    expect(reply.body).not.to.contain('127.0.0.1');
    expect(h.dispatcher.inFlight()).to.equal(0);
  });

  it('passes 5xx answers through without failing over (Knox)', async () => {
    const b1 = await startBackend('b1', (_req, res) => { res.writeHead(500, { 'x-backend': 'b1' }); res.end('boom'); });
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url, b2.url] } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(500);
    expect(backendOf(reply)).to.equal('b1');
    expect(b2.requests).to.equal(0);
  });
});
