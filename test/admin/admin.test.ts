import { expect } from 'chai';
import { request } from 'undici';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways, haXml, type TestGateway } from '../helpers/gateway.js';
import type { BackendsReport } from '../../lib/admin/index.js';

async function call(url: string, method: 'GET' | 'POST' = 'GET', body?: string): Promise<{ status: number; text: string; type: string }> {
  const res = await request(url, { method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
  return { status: res.statusCode, text: await res.body.text(), type: String(res.headers['content-type']) };
}

describe('admin listener', () => {
  let b1: TestBackend;
  let b2: TestBackend;
  let gw: TestGateway;
  let admin: string;

  beforeEach(async () => {
    b1 = await startBackend('b1');
    b2 = await startBackend('b2');
    gw = await startTestGateway({
      admin: true,
      xml: { t: haXml([{ name: 'WHOAMI', urls: [b1.url, b2.url], attrs: { enableLoadBalancing: true, enableStickySession: true } }]) },
    });
    admin = gw.adminUrl ?? '';
  });
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('answers /health', async () => {
    const r = await call(`${admin}/health`);
    expect(r.status).to.equal(200);
    expect(JSON.parse(r.text)).to.deep.equal({ status: 'ok' });
  });

  it('is ready when every service has a backend list', async () => {
    const r = await call(`${admin}/ready`);
    expect(r.status).to.equal(200);
    expect(JSON.parse(r.text)).to.deep.equal({ status: 'ready', reasons: [] });
  });

  it('lists topologies, services, backends and their state in /backends', async () => {
    const r = await call(`${admin}/backends`);
    expect(r.status).to.equal(200);
    const report = JSON.parse(r.text) as BackendsReport;
    const svc = report.topologies[0]?.services[0];
    expect(report.topologies[0]?.name).to.equal('t');
    expect(svc?.role).to.equal('WHOAMI');
    expect(svc?.path).to.equal('whoami');
    expect(svc?.origin).to.equal('static');
    expect(new Date(svc?.updatedAt ?? '').toISOString()).to.equal(svc?.updatedAt);
    expect(svc?.backends.map((b) => [b.url, b.state, b.inFlight])).to.deep.equal([[b1.url, 'up', 0], [b2.url, 'up', 0]]);
    expect(report.zookeeper).to.deep.equal([]);
  });

  it('drains a backend (no new sessions) and undrains it', async () => {
    const body = JSON.stringify({ topology: 't', service: 'WHOAMI', url: b1.url });
    const d = await call(`${admin}/backends/drain`, 'POST', body);
    expect(d.status).to.equal(200);
    expect(JSON.parse(d.text)).to.include({ draining: true });
    const states = (JSON.parse((await call(`${admin}/backends`)).text) as BackendsReport).topologies[0]?.services[0]?.backends.map((b) => b.state);
    expect(states).to.deep.equal(['draining', 'up']);
    for (let i = 0; i < 4; i++) {
      const res = await request(`${gw.base}/t/whoami`);
      expect(await res.body.text()).to.equal('b2');
    }
    expect((await call(`${admin}/backends/undrain`, 'POST', JSON.stringify({ topology: 't', service: 'whoami', url: b1.url }))).status).to.equal(200);
    const after = (JSON.parse((await call(`${admin}/backends`)).text) as BackendsReport).topologies[0]?.services[0]?.backends.map((b) => b.state);
    expect(after).to.deep.equal(['up', 'up']);
  });

  const badDrains = [
    { desc: 'an unknown backend URL', status: 404, body: () => JSON.stringify({ topology: 't', service: 'WHOAMI', url: 'http://nowhere:1' }) },
    { desc: 'an unknown topology', status: 404, body: () => JSON.stringify({ topology: 'x', service: 'WHOAMI', url: b1.url }) },
    { desc: 'an unknown service', status: 404, body: () => JSON.stringify({ topology: 't', service: 'NOPE', url: b1.url }) },
    { desc: 'invalid JSON', status: 400, body: () => '{"topology":' },
    { desc: 'a missing field', status: 400, body: () => JSON.stringify({ topology: 't', service: 'WHOAMI' }) },
    { desc: 'a body over the size limit', status: 413, body: () => JSON.stringify({ topology: 't', service: 'WHOAMI', url: 'x'.repeat(20000) }) },
  ];
  for (const c of badDrains) {
    it(`answers ${c.status} to a drain request with ${c.desc}`, async () => {
      const r = await call(`${admin}/backends/drain`, 'POST', c.body());
      expect(r.status).to.equal(c.status);
      expect(JSON.parse(r.text)).to.have.property('code');
    });
  }

  it('serves Prometheus metrics with the backends gauge fresh', async () => {
    const res = await request(`${gw.base}/t/whoami`);
    await res.body.text();
    const r = await call(`${admin}/metrics`);
    expect(r.status).to.equal(200);
    expect(r.type).to.include('text/plain');
    expect(r.text).to.include('hadispatch_backends{topology="t",service="WHOAMI",state="up"} 2');
    expect(r.text).to.match(/hadispatch_requests_total\{[^}]*topology="t"[^}]*\} \d+/);
  });

  it('reloads on POST /reload', async () => {
    const r = await call(`${admin}/reload`, 'POST');
    expect(r.status).to.equal(200);
    expect(JSON.parse(r.text)).to.include({ topologies: 1, services: 1 });
  });

  it('answers HEAD on the GET endpoints like GET, without a body (load balancer health checks)', async () => {
    for (const path of ['/health', '/backends', '/metrics']) {
      const res = await request(`${admin}${path}`, { method: 'HEAD' });
      expect(res.statusCode, path).to.equal(200);
      expect(await res.body.text(), path).to.equal('');
    }
  });

  it('refuses a POST sent by a web page (Origin or Sec-Fetch-Site present) with 403 and changes nothing', async () => {
    const drain = JSON.stringify({ topology: 't', service: 'WHOAMI', url: b1.url });
    for (const headers of [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }]) {
      const res = await request(`${admin}/backends/drain`, { method: 'POST', body: drain, headers: { 'content-type': 'text/plain', ...headers } });
      expect(res.statusCode).to.equal(403);
      expect(JSON.parse(await res.body.text())).to.have.property('code', 'HAD_ERR_REQUEST_INVALID');
    }
    const report = JSON.parse((await call(`${admin}/backends`)).text) as BackendsReport;
    const states = report.topologies.flatMap((t) => t.services.flatMap((s) => s.backends.map((b) => b.state)));
    expect(states).to.deep.equal(['up', 'up']);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    const unknown = await call(`${admin}/nope`);
    expect(unknown.status).to.equal(404);
    // Regression (review): the admin's 404 said "no such topology or service".
    expect(JSON.parse(unknown.text)).to.deep.equal({ code: 'HAD_ERR_ADMIN_NOT_FOUND', message: 'no such admin endpoint' });
    expect((await call(`${admin}/health`, 'POST', '')).status).to.equal(405);
    expect((await call(`${admin}/backends/drain`)).status).to.equal(405);
  });
});

describe('admin /ready with ZooKeeper services', () => {
  afterEach(async () => { await closeTestGateways(); });

  it('answers 503 with the reason while a ZooKeeper service has no list', async () => {
    const gw = await startTestGateway({
      admin: true, zkSessionTimeoutMs: 2000,
      xml: { t: haXml([{ name: 'HIVE', attrs: { zookeeperEnsemble: '127.0.0.1:1', zookeeperNamespace: 'hiveserver2' } }]) },
    });
    const res = await request(`${gw.adminUrl ?? ''}/ready`);
    expect(res.statusCode).to.equal(503);
    const body = await res.body.json() as { reasons: string[] };
    expect(body.reasons.join('\n')).to.include('t/HIVE');
  });
});
