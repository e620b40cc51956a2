import { expect } from 'chai';
import { request } from 'undici';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { eventually } from '../helpers/eventually.js';
import { startTestGateway, closeTestGateways, haXml, type TestGateway } from '../helpers/gateway.js';

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await request(url);
  return { status: res.statusCode, body: await res.body.text() };
}

const BROKEN = '<?xml version="1.0"?>\n<ha>\n  <service name="WHOAMI" enableLoadBalancing="maybe">\n</ha>\n';

describe('gateway reload', () => {
  let b1: TestBackend;
  let b2: TestBackend;

  beforeEach(async () => { b1 = await startBackend('b1'); b2 = await startBackend('b2'); });
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('applies a changed descriptor under traffic without failing a request', async () => {
    const gw = await startTestGateway({ xml: { t: haXml([{ name: 'WHOAMI', urls: [b1.url] }]) } });
    let stop = false;
    const statuses: number[] = [];
    const traffic = (async () => {
      while (!stop) statuses.push((await get(`${gw.base}/t/whoami`)).status);
    })();
    const traffic2 = (async () => {
      while (!stop) statuses.push((await get(`${gw.base}/t/whoami`)).status);
    })();
    await eventually(() => expect(statuses.length).to.be.greaterThan(20));
    await gw.writeDescriptor('t', haXml([{ name: 'WHOAMI', urls: [b2.url] }]));
    const result = await gw.gateway.reload();
    expect(result.changed).to.deep.equal(['t']);
    expect(result.failures).to.deep.equal([]);
    const before = statuses.length;
    await eventually(() => expect(statuses.length).to.be.greaterThan(before + 20));
    stop = true;
    await Promise.all([traffic, traffic2]);
    expect(statuses.filter((s) => s !== 200)).to.deep.equal([]);
    expect((await get(`${gw.base}/t/whoami`)).body).to.equal('b2');
  });

  it('keeps the previous config of a broken file while other files reload', async () => {
    const gw = await startTestGateway({
      xml: { t: haXml([{ name: 'WHOAMI', urls: [b1.url] }]), u: haXml([{ name: 'WHOAMI', urls: [b1.url] }]) },
    });
    await gw.writeDescriptor('t', BROKEN);
    await gw.writeDescriptor('u', haXml([{ name: 'WHOAMI', urls: [b2.url] }]));
    const result = await gw.gateway.reload();
    expect(result.failures.map((f) => f.file)).to.have.length(1);
    expect(result.failures[0]?.file).to.match(/t\.xml$/);
    expect(result.failures[0]?.message).to.include('t.xml');
    expect((await get(`${gw.base}/t/whoami`)).body).to.equal('b1');
    expect((await get(`${gw.base}/u/whoami`)).body).to.equal('b2');
    expect(gw.gateway.view.failures()).to.have.length(1);
  });

  it('drops a removed topology and adds a new one', async () => {
    const gw = await startTestGateway({ xml: { t: haXml([{ name: 'WHOAMI', urls: [b1.url] }]) } });
    const { rm } = await import('node:fs/promises');
    await rm(`${gw.dir}/t.xml`);
    await gw.writeDescriptor('n', haXml([{ name: 'WHOAMI', urls: [b2.url] }]));
    const result = await gw.gateway.reload();
    expect(result.removed).to.deep.equal(['t']);
    expect(result.added).to.deep.equal(['n']);
    expect((await get(`${gw.base}/t/whoami`)).status).to.equal(404);
    expect((await get(`${gw.base}/n/whoami`)).body).to.equal('b2');
  });

  it('keeps balancer state of unchanged services across a reload (round robin continues)', async () => {
    const gw = await startTestGateway({
      xml: { t: haXml([{ name: 'WHOAMI', urls: [b1.url, b2.url], attrs: { enableLoadBalancing: true } }]) },
    });
    expect((await get(`${gw.base}/t/whoami`)).body).to.equal('b1');
    await gw.writeDescriptor('other', haXml([{ name: 'X', urls: [b1.url] }]));
    await gw.gateway.reload();
    expect((await get(`${gw.base}/t/whoami`)).body).to.equal('b2');
  });

  it('reloads by itself when a file in the folder changes', async () => {
    const gw = await startTestGateway({ xml: { t: haXml([{ name: 'WHOAMI', urls: [b1.url] }]) }, watchDescriptors: true });
    await gw.writeDescriptor('t', haXml([{ name: 'WHOAMI', urls: [b2.url] }]));
    await eventually(async () => expect((await get(`${gw.base}/t/whoami`)).body).to.equal('b2'), 5000);
    await gw.writeDescriptor('t', BROKEN);
    await eventually(() => expect(gw.gateway.view.failures()).to.have.length(1), 5000);
    expect((await get(`${gw.base}/t/whoami`)).body).to.equal('b2');
  });

  it('refuses to start on a broken file and names it', async () => {
    let err: unknown;
    try {
      await startTestGateway({ xml: { good: haXml([{ name: 'A', urls: [b1.url] }]), bad: BROKEN } });
    } catch (e) { err = e; }
    expect(err).to.have.property('code', 'HAD_ERR_DESCRIPTOR_INVALID');
    expect((err as Error).message).to.include('bad.xml');
  });
});
