import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { DEMO_BACKENDS } from '../../lib/gateway/index.js';
import { releaseDemoPorts } from '../helpers/demo-ports.js';
import { killServe, servingLine, startServe, type Served, type ServingLine } from './fixtures/serve-process.js';

/** What a demo WHOAMI backend echoes. */
interface Echo {
  readonly backend: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

interface Answer {
  readonly status: number;
  readonly setCookie: string | undefined;
  readonly echo: Echo;
}

async function whoami(base: string, cookie?: string, rest = ''): Promise<Answer> {
  const res = await request(`${base}sandbox/whoami${rest}`, cookie !== undefined ? { headers: { cookie } } : {});
  const raw = res.headers['set-cookie'];
  return {
    status: res.statusCode,
    setCookie: Array.isArray(raw) ? raw.join('\n') : raw,
    echo: await res.body.json() as Echo,
  };
}

const DEMO_URLS = DEMO_BACKENDS.map((b) => `http://127.0.0.1:${b.port}`);

// `npm start` is `serve --demo` on descriptors/ and port 8443; the test takes a free port instead
// so that it never clashes with a gateway someone runs by hand.
describe('npm start (hadispatch serve --demo)', function () {
  this.timeout(90000);
  let served: Served;
  let line: ServingLine;

  before(async function () {
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts['start'];
    expect(start, 'package.json scripts.start').to.equal('node bin/hadispatch.js serve --demo');
    await releaseDemoPorts(); // held since the run began, so no ephemeral socket can have taken them
    served = startServe(['--demo', '--descriptors', 'descriptors', '--port', '0']);
    line = await servingLine(served);
    const missing = DEMO_URLS.filter((u) => !(line.demo ?? []).includes(u));
    if (missing.length > 0) {
      const why = `demo backend port(s) ${missing.join(', ')} already in use by another process`;
      if (process.env['CI']) throw new Error(why);
      process.stderr.write(`note: skipping the npm start tests: ${why} (CI is unset)\n`);
      this.skip();
    }
  });
  after(async () => { if (served) await killServe(served); });

  it('serves on the given port with both demo backends', () => {
    expect(line.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/gateway\/$/);
    expect(line.url).not.to.include(':8443/');
    expect(line.demo).to.deep.equal(DEMO_URLS);
  });

  it('balances requests without a cookie round robin and sets the Knox sticky cookie', async () => {
    const first = await whoami(line.url);
    const second = await whoami(line.url);
    expect([first.status, second.status]).to.deep.equal([200, 200]);
    expect([first.echo.backend, second.echo.backend].sort()).to.deep.equal(['whoami-1', 'whoami-2']);
    for (const a of [first, second]) {
      expect(a.setCookie).to.match(/^KNOX_BACKEND-WHOAMI=[0-9a-f]{64}; /);
      const attributes = (a.setCookie ?? '').split(';').slice(1).map((s) => s.trim());
      expect(attributes).to.include('Path=/gateway/sandbox');
      expect(attributes).to.include('HttpOnly');
    }
    expect(first.setCookie).not.to.equal(second.setCookie);
  });

  it('keeps a client that sends the cookie back on its backend', async () => {
    const first = await whoami(line.url);
    const cookie = (first.setCookie ?? '').split(';')[0] ?? '';
    for (let i = 0; i < 4; i++) {
      const again = await whoami(line.url, cookie);
      expect(again.echo.backend).to.equal(first.echo.backend);
      expect(again.setCookie, 'cookie is set again only when the backend changes').to.equal(undefined);
    }
  });

  it('echoes method, path and headers (the query string and our cookie are not echoed)', async () => {
    const first = await whoami(line.url);
    const cookie = (first.setCookie ?? '').split(';')[0] ?? '';
    const { echo } = await whoami(line.url, `${cookie}; other=1`, '/a/b?secret=s3cr3t');
    expect(echo.method).to.equal('GET');
    expect(echo.path).to.equal('/a/b');
    expect(echo.headers).to.include({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-context': '/gateway/sandbox', cookie: 'other=1' });
    expect(JSON.stringify(echo)).not.to.include('s3cr3t');
    expect(JSON.stringify(echo)).not.to.include('KNOX_BACKEND');
  });
});
