import { expect } from 'chai';
import { Agent, request, type ClientRequest } from 'node:http';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startHarness, closeHarnesses } from '../helpers/dispatch-harness.js';
import { eventually } from '../helpers/eventually.js';
import { call } from './http-client.js';

/**
 * Sends `req` (its backend hangs or never answers it), disconnects once the backend has seen its
 * `nth` request, and expects the upstream attempt aborted and nothing left in flight.
 */
async function disconnectAndExpectAbort(
  req: ClientRequest, backend: TestBackend, dispatcher: { inFlight(): number }, nth: number,
): Promise<void> {
  req.on('error', () => undefined);
  req.end();
  await eventually(() => { expect(backend.requests).to.equal(nth); });
  req.destroy();
  await eventually(() => { expect(backend.aborted).to.equal(1); });
  await eventually(() => { expect(dispatcher.inFlight()).to.equal(0); });
}

describe('dispatch: headers, Location rewrite, client aborts', () => {
  afterEach(async () => { await closeHarnesses(); await closeBackends(); });

  it('sets X-Forwarded-For/-Proto/-Host/-Port/-Context and strips hop-by-hop headers', async () => {
    const b1 = await startBackend('b1');
    const h = await startHarness({ service: { name: 'WEBHDFS', urls: [b1.url] }, tls: true });
    await call(`${h.base}/v1/x`, {
      headers: {
        host: 'gw.example.com:8443', 'x-forwarded-for': '10.0.0.1', 'x-forwarded-proto': 'gopher',
        connection: 'keep-alive, x-secret', 'x-secret': '1', 'keep-alive': 'timeout=5', te: 'trailers',
        'proxy-authorization': 'Basic cHJveHk6eA==', authorization: 'Basic dXNlcjpw', 'x-end-to-end': 'yes',
      },
    });
    const seen = b1.last!.headers;
    expect(seen['x-forwarded-for']).to.equal('10.0.0.1, 127.0.0.1');
    expect(seen['x-forwarded-proto']).to.equal('https');
    expect(seen['x-forwarded-host']).to.equal('gw.example.com:8443');
    expect(seen['x-forwarded-port']).to.equal(String(h.port));
    expect(seen['x-forwarded-context']).to.equal('/gateway/sandbox');
    expect(seen['authorization']).to.equal('Basic dXNlcjpw');
    expect(seen['x-end-to-end']).to.equal('yes');
    for (const gone of ['x-secret', 'keep-alive', 'te', 'proxy-authorization']) expect(seen, gone).not.to.have.property(gone);
    expect(seen.host).to.equal(`127.0.0.1:${b1.port}`);
  });

  it('drops the headers named by every Connection header of the request, in either order, the Cookie included', async () => {
    const b1 = await startBackend('b1');
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url] } });
    for (const order of [['x-secret', 'keep-alive'], ['keep-alive', 'x-secret, cookie']]) {
      await call(h.base, { headers: { connection: order, 'x-secret': 's3cr3t', 'x-kept': 'k', cookie: 'a=1' } });
      const seen = b1.last!.headers;
      expect(seen, order.join(' | ')).not.to.have.property('x-secret');
      expect(seen['x-kept']).to.equal('k');
    }
    expect(b1.last!.headers).not.to.have.property('cookie');
  });

  it('drops hop-by-hop response headers, including those named by Connection', async () => {
    const b1 = await startBackend('b1', (_q, res) => {
      res.writeHead(200, { connection: 'x-internal', 'x-internal': '1', 'proxy-authenticate': 'Basic', 'x-kept': 'k' });
      res.end('ok');
    });
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url] } });
    const reply = await call(h.base);
    expect(reply.headers['x-kept']).to.equal('k');
    expect(reply.headers).not.to.have.property('x-internal');
    expect(reply.headers).not.to.have.property('proxy-authenticate');
  });

  const locations = [
    { desc: 'a backend URL under its base path is rewritten', location: (b: string) => `${b}/webhdfs/v1/tmp?op=OPEN`, expect: 'http://gw.example.com/gateway/sandbox/webhdfs/v1/tmp?op=OPEN' },
    { desc: 'the backend base path itself is rewritten', location: (b: string) => `${b}/webhdfs`, expect: 'http://gw.example.com/gateway/sandbox/webhdfs' },
    { desc: 'a URL outside the base path is kept', location: (b: string) => `${b}/other/x`, expect: (b: string) => `${b}/other/x` },
    { desc: 'a datanode URL is kept', location: () => 'http://dn1.example.com:50075/webhdfs/v1/tmp?op=OPEN', expect: 'http://dn1.example.com:50075/webhdfs/v1/tmp?op=OPEN' },
  ] as const;
  for (const c of locations) {
    it(`Location: ${c.desc}`, async () => {
      let location = '';
      const b1 = await startBackend('b1', (_q, res) => { res.writeHead(307, { location }); res.end(); });
      location = c.location(b1.url);
      const h = await startHarness({ service: { name: 'WEBHDFS', urls: [`${b1.url}/webhdfs`] } });
      const reply = await call(`${h.base}/v1/tmp`, { headers: { host: 'gw.example.com' } });
      expect(reply.headers.location).to.equal(typeof c.expect === 'string' ? c.expect : c.expect(b1.url));
    });
  }

  it('aborts the upstream request when the client disconnects', async () => {
    const b1 = await startBackend('b1');
    b1.hang();
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url] } });
    await disconnectAndExpectAbort(request(h.base, { agent: false }), b1, h.dispatcher, 1);
  });

  it('aborts the upstream request when a keep-alive client disconnects during its third request', async () => {
    let calls = 0;
    const b1 = await startBackend('b1', (_q, res) => { calls++; if (calls < 3) res.end('ok'); });
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url] } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (): Promise<string> => new Promise((resolve, reject) => {
      request(h.base, { agent }, (res) => { let body = ''; res.on('data', (c: Buffer) => { body += c.toString(); }); res.on('end', () => resolve(body)); })
        .on('error', reject).end();
    });
    expect([await get(), await get()]).to.deep.equal(['ok', 'ok']);
    await disconnectAndExpectAbort(request(h.base, { agent }), b1, h.dispatcher, 3);
    agent.destroy();
  });

  it('aborts the upstream request when the client disconnects mid-download', async () => {
    const b1 = await startBackend('b1', (_q, res) => { res.writeHead(200); res.write('x'.repeat(1000)); });
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url] } });
    await new Promise<void>((resolve) => {
      const req = request(h.base, { agent: false }, (res) => { res.once('data', () => { req.destroy(); resolve(); }); });
      req.on('error', () => undefined);
      req.end();
    });
    await eventually(() => { expect(b1.aborted).to.equal(1); });
    await eventually(() => { expect(h.dispatcher.inFlight()).to.equal(0); });
  });
});
