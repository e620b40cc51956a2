import { expect } from 'chai';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways, haXml, rawRequest, statusOf, type TestGateway } from '../helpers/gateway.js';


describe('gateway path tricks', () => {
  let pub: TestBackend;
  let secret: TestBackend;
  let gw: TestGateway;

  beforeEach(async () => {
    pub = await startBackend('public');
    secret = await startBackend('secret');
    gw = await startTestGateway({
      xml: {
        t: haXml([{ name: 'PUB', urls: [`${pub.url}/pub`] }, { name: 'SECRET', urls: [secret.url] }]),
        other: haXml([{ name: 'PUB', urls: [secret.url] }]),
      },
    });
  });
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  const tricks = [
    '/gateway/t/pub/../secret/x',
    '/gateway/t/pub/%2e%2e/secret/x',
    '/gateway/t/pub/.%2E/secret',
    '/gateway/t/pub%2f..%2fsecret/x',
    '/gateway/t/pub/..%2Fsecret',
    '/gateway/t/pub/..%5csecret',
    '/gateway/t/pub\\..\\secret',
    '/gateway/t/./secret',
    '/gateway/other/../t/secret',
    '/gateway//t/secret',
    '/gateway/t/pub//x',
    '/gateway/t/pub/%00',
    'http://evil.example/gateway/t/secret',
  ];
  for (const path of tricks) {
    it(`answers 400 HAD_ERR_REQUEST_INVALID for ${path} and forwards nothing`, async () => {
      const raw = await rawRequest(gw.gateway.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(statusOf(raw), raw).to.equal(400);
      expect(raw).to.include('"code":"HAD_ERR_REQUEST_INVALID"');
      expect(pub.requests + secret.requests).to.equal(0);
    });
  }

  it('refuses a request with both Content-Length and Transfer-Encoding (smuggling)', async () => {
    const raw = await rawRequest(gw.gateway.port,
      'POST /gateway/t/pub/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /gateway/t/secret/x HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(statusOf(raw)).to.equal(400);
    expect(secret.requests).to.equal(0);
  });

  it('refuses duplicate Content-Length headers', async () => {
    const raw = await rawRequest(gw.gateway.port,
      'POST /gateway/t/pub/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 30\r\n\r\nx');
    expect(statusOf(raw)).to.equal(400);
    expect(pub.requests + secret.requests).to.equal(0);
  });

  it('answers 431 to an oversized request head', async () => {
    const raw = await rawRequest(gw.gateway.port, `GET /gateway/t/pub/x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`);
    expect(statusOf(raw)).to.equal(431);
    expect(pub.requests).to.equal(0);
  });

  it('answers 431 to a flood of small header fields instead of silently dropping the extra ones', async () => {
    let flood = '';
    for (let i = 0; i < 600; i++) flood += `X-F${i}: v\r\n`;
    const raw = await rawRequest(gw.gateway.port, `GET /gateway/t/pub/x HTTP/1.1\r\nHost: x\r\n${flood}\r\n`);
    expect(statusOf(raw), raw).to.equal(431);
    expect(raw).to.include('"code":"HAD_ERR_REQUEST_INVALID"');
    expect(pub.requests).to.equal(0);
  });

  it('still forwards a request with many (but not too many) header fields', async () => {
    let many = '';
    for (let i = 0; i < 100; i++) many += `X-F${i}: v\r\n`;
    const raw = await rawRequest(gw.gateway.port, `GET /gateway/t/pub/x HTTP/1.1\r\nHost: x\r\n${many}Connection: close\r\n\r\n`);
    expect(statusOf(raw)).to.equal(200);
    expect(pub.requests).to.equal(1);
  });

  it('keeps a trick in the query string harmless (the query is forwarded as is)', async () => {
    const raw = await rawRequest(gw.gateway.port, 'GET /gateway/t/pub/x?p=../../secret%2f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(statusOf(raw)).to.equal(200);
    expect(pub.last?.url).to.equal('/pub/x?p=../../secret%2f');
    expect(secret.requests).to.equal(0);
  });
});

describe('gateway slow clients', () => {
  afterEach(async () => { await closeTestGateways(); });

  it('answers 408 and closes a connection whose request head does not arrive in time (slowloris)', async () => {
    const gw = await startTestGateway({ xml: {}, headersTimeoutMs: 400 });
    const started = Date.now();
    const raw = await rawRequest(gw.gateway.port, 'GET /gateway/t/pub/x HTTP/1.1\r\nHost: x\r\nX-Slow: a', 5000);
    expect(statusOf(raw)).to.equal(408);
    expect(Date.now() - started).to.be.lessThan(3000);
  });
});
