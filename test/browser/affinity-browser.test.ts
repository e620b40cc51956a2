/**
 * A real browser keeps its session: headless Debian Chromium (driven by playwright-core) loads a
 * page through the gateway, stays on one backend across reloads, and moves to the backup its
 * ranked cookie names when that backend stops. Skipped locally when /usr/bin/chromium is missing;
 * in CI (CI=true) it must run.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startTestGateway, closeTestGateways, haXml } from '../helpers/gateway.js';
import { sha256Hex } from '../affinity/affinity-kit.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const COOKIE = 'KNOX_BACKEND-WEBUI';

/** A backend serving an HTML page that shows its name. */
function startPageBackend(name: string): Promise<TestBackend> {
  return startBackend(name, (_req, res, b) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-backend': b.name });
    res.end(`<!doctype html><html><head><title>${b.name}</title></head><body><h1 id="backend">${b.name}</h1></body></html>`);
  });
}

describe('browser: session affinity in headless Chromium', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;

  before(function () {
    if (existsSync(CHROMIUM)) return;
    if (process.env['CI']) throw new Error(`${CHROMIUM} is missing: install the Debian package \`chromium\` (apt-get install -y chromium)`);
    process.stderr.write(`note: ${CHROMIUM} is missing (Debian package \`chromium\`); the browser affinity test is skipped\n`);
    this.skip();
  });
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await closeTestGateways();
    await closeBackends();
  });

  it('keeps a page on one backend across reloads, then moves to the cookie\'s backup when that backend stops', async () => {
    const bs = [await startPageBackend('b1'), await startPageBackend('b2'), await startPageBackend('b3')];
    const byToken = new Map(bs.map((b) => [sha256Hex(b.url), b]));
    const gw = await startTestGateway({
      xml: {
        ui: haXml([{
          name: 'WEBUI', urls: bs.map((b) => b.url),
          attrs: { enableLoadBalancing: true, enableStickySession: true, stickySessionRankedRoutes: 2, failoverSleep: 0, stickySessionCookieSameSite: 'Lax' },
        }]),
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
    const context = await browser.newContext();
    const page = await context.newPage();
    const shown = async (): Promise<string> => (await page.textContent('#backend'))?.trim() ?? '';
    const routes = async (): Promise<TestBackend[]> => {
      const cookie = (await context.cookies(`${gw.base}/ui/webui/index.html`)).find((c) => c.name === COOKIE);
      if (cookie === undefined) throw new Error(`no ${COOKIE} cookie in the browser`);
      expect(cookie.path).to.equal('/gateway/ui');
      expect(cookie.httpOnly).to.equal(true);
      expect(cookie.sameSite).to.equal('Lax');
      return cookie.value.split('.').map((t) => byToken.get(t) ?? (() => { throw new Error(`cookie names no backend: ${t}`); })());
    };

    const first = await page.goto(`${gw.base}/ui/webui/index.html`);
    expect(first?.status()).to.equal(200);
    const home = await shown();
    expect(['b1', 'b2', 'b3']).to.include(home);
    const [primary, backup] = await routes();
    expect(primary?.name).to.equal(home);
    expect(backup).to.not.equal(undefined);
    expect(backup?.name).to.not.equal(home);

    for (let i = 0; i < 5; i++) {
      const r = await page.reload();
      expect(r?.status()).to.equal(200);
      expect(await shown(), `reload ${i + 1}`).to.equal(home);
    }

    const before = backup?.requests ?? 0;
    await primary?.kill();
    const moved = await page.reload();
    expect(moved?.status()).to.equal(200);
    expect(await shown(), 'the backup named in the cookie').to.equal(backup?.name);
    expect(backup?.requests).to.be.above(before);
    const reissued = await routes();
    expect(reissued[0]?.name, 'the cookie was re-issued with the backup first').to.equal(backup?.name);

    for (let i = 0; i < 3; i++) {
      await page.reload();
      expect(await shown()).to.equal(backup?.name);
    }
  });
});
