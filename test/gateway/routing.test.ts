import { expect } from 'chai';
import { request } from 'undici';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways, haXml, type TestGateway } from '../helpers/gateway.js';

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const res = await request(url, { headers });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

describe('gateway routing', () => {
  let b1: TestBackend;
  let b2: TestBackend;
  let other: TestBackend;
  let gw: TestGateway;

  beforeEach(async () => {
    b1 = await startBackend('b1');
    b2 = await startBackend('b2');
    other = await startBackend('other');
    gw = await startTestGateway({
      xml: {
        sandbox: haXml([
          { name: 'WHOAMI', urls: [b1.url, b2.url], attrs: { enableLoadBalancing: true, failoverSleep: 0 } },
          { name: 'OTHER', urls: [other.url] },
          { name: 'OFF', urls: [other.url], attrs: { enabled: false } },
          { name: 'EMPTY', urls: [] },
        ]),
        second: haXml([{ name: 'WEBHDFS', urls: [`${other.url}/webhdfs`] }]),
      },
    });
  });
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('forwards /gateway/{topology}/{service}/rest?query to the backend', async () => {
    const r = await get(`${gw.base}/second/webhdfs/v1/tmp?op=LISTSTATUS`);
    expect(r.status).to.equal(200);
    expect(other.last?.url).to.equal('/webhdfs/v1/tmp?op=LISTSTATUS');
  });

  it('round-robins a load-balanced service in order', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await get(`${gw.base}/sandbox/whoami`)).body);
    expect(seen).to.deep.equal(['b1', 'b2', 'b1', 'b2']);
  });

  const notFound = [
    { desc: 'an unknown topology', path: '/gateway/nope/whoami' },
    { desc: 'an unknown service', path: '/gateway/sandbox/nope' },
    { desc: 'a disabled service', path: '/gateway/sandbox/off' },
    { desc: 'a path outside the gateway path', path: '/other/sandbox/whoami' },
    { desc: 'a topology without a service', path: '/gateway/sandbox' },
    { desc: 'the service name in another case', path: '/gateway/sandbox/WHOAMI' },
  ];
  for (const c of notFound) {
    it(`answers 404 JSON for ${c.desc}`, async () => {
      const r = await get(gw.url + c.path);
      expect(r.status).to.equal(404);
      expect(r.headers['content-type']).to.equal('application/json');
      expect(JSON.parse(r.body)).to.deep.equal({ code: 'HAD_ERR_NOT_FOUND', message: 'no such topology or service' });
    });
  }

  it('answers 503 JSON when a service has no backend', async () => {
    const r = await get(`${gw.base}/sandbox/empty/x`);
    expect(r.status).to.equal(503);
    expect(JSON.parse(r.body).code).to.equal('HAD_ERR_NO_BACKEND');
  });

  it('never puts a backend URL in an error body', async () => {
    await b1.kill();
    await b2.kill();
    const r = await get(`${gw.base}/sandbox/whoami`);
    expect(r.status).to.be.within(500, 599);
    expect(r.body).not.to.include('127.0.0.1');
  });
});
