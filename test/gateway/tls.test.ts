import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, Agent } from 'undici';
import { startBackend, closeBackends } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways, haXml } from '../helpers/gateway.js';

/** A self-signed certificate for 127.0.0.1 made with the openssl CLI. */
function selfSigned(dir: string): { cert: Buffer; key: Buffer; certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { cert: readFileSync(certFile), key: readFileSync(keyFile), certFile, keyFile };
}

describe('gateway over TLS', function () {
  let dir: string;
  let tls: ReturnType<typeof selfSigned>;

  before(function () {
    try { execFileSync('openssl', ['version'], { stdio: 'ignore' }); } catch { this.skip(); }
    dir = mkdtempSync(join(tmpdir(), 'had-tls-'));
    tls = selfSigned(dir);
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  afterEach(async () => { await closeTestGateways(); await closeBackends(); });

  it('serves HTTPS and marks the sticky cookie Secure', async () => {
    const b1 = await startBackend('b1');
    const gw = await startTestGateway({
      xml: { t: haXml([{ name: 'HIVE', urls: [b1.url], attrs: { enableLoadBalancing: true, enableStickySession: true } }]) },
      tls: { cert: tls.certFile, key: tls.keyFile },
    });
    expect(gw.url).to.match(/^https:\/\//);
    const agent = new Agent({ connect: { ca: tls.cert } });
    const res = await request(`${gw.base}/t/hive/x`, { dispatcher: agent });
    expect(res.statusCode).to.equal(200);
    expect(await res.body.text()).to.equal('b1');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).to.match(/^KNOX_BACKEND-HIVE=[0-9a-f]{64};/);
    expect(cookie).to.include('Path=/gateway/t');
    expect(cookie).to.include('HttpOnly');
    expect(cookie).to.include('Secure');
    expect(b1.last?.headers['x-forwarded-proto']).to.equal('https');
    await agent.close();
  });

  it('does not mark the cookie Secure over plain HTTP', async () => {
    const b1 = await startBackend('b1');
    const gw = await startTestGateway({
      xml: { t: haXml([{ name: 'HIVE', urls: [b1.url], attrs: { enableLoadBalancing: true, enableStickySession: true } }]) },
    });
    const res = await request(`${gw.base}/t/hive/x`);
    await res.body.text();
    expect(String(res.headers['set-cookie'])).not.to.include('Secure');
  });

  it('refuses to start with an unreadable key file, naming it', async () => {
    let err: unknown;
    try {
      await startTestGateway({ xml: {}, tls: { cert: tls.certFile, key: join(dir, 'missing.pem') } });
    } catch (e) { err = e; }
    expect(err).to.have.property('code', 'HAD_ERR_CONFIG_INVALID');
    expect((err as Error).message).to.include('missing.pem');
  });
});
