import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { eventually } from '../helpers/eventually.js';
import { hiveXml, get, adminPost, hmacHex, sha256Hex, valueOf, HIVE_COOKIE } from './affinity-kit.js';

/** The CLI from source (through tsx), as the serve tests run it. */
const CLI = ['--import', 'tsx', join('test', 'gateway', 'fixtures', 'hadispatch.ts')];

interface Served {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Gateway base (`http://127.0.0.1:PORT/gateway/`) and admin URL, from the `hadispatch serving` log line. */
  readonly ready: Promise<{ url: string; admin: string }>;
}

function serve(args: readonly string[]): Served {
  const child = spawn(process.execPath, [...CLI, 'serve', ...args], { env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => { child.on('exit', (code) => resolve(code)); });
  let buf = '';
  const lines: string[] = [];
  child.stderr?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
  });
  const ready = eventually(() => {
    for (const line of lines) {
      try {
        const j = JSON.parse(line) as { message?: string; url?: string; admin?: string };
        if (j.message === 'hadispatch serving' && j.url !== undefined && j.admin !== undefined) return { url: j.url, admin: j.admin };
      } catch { /* not JSON */ }
    }
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${lines.join('\n')}`);
    throw new Error('not serving yet');
  }, 30_000, 50);
  return { child, exited, ready };
}

describe('affinity: serve --sticky-key-file (two processes, one key file)', function () {
  this.timeout(60_000);
  let dir: string;
  const running: Served[] = [];

  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'had-aff-keys-')); });
  afterEach(async () => {
    for (const s of running.splice(0)) {
      if (s.child.exitCode === null) { s.child.kill('SIGTERM'); await s.exited; }
    }
    rmSync(dir, { recursive: true, force: true });
    await closeBackends();
  });

  it('honours a cookie signed by the other process; plain Knox cookies only with --accept-knox-cookies', async () => {
    const key = 'rotating-secret-0123456789';
    const bs: TestBackend[] = [await startBackend('b1'), await startBackend('b2'), await startBackend('b3')];
    const b2 = bs[1] as TestBackend;
    const descriptors = join(dir, 'descriptors');
    const keyFile = join(dir, 'sticky.keys');
    writeFileSync(keyFile, `# sticky cookie keys: the first signs\n${key}\n`, { mode: 0o600 });
    mkdirSync(descriptors);
    writeFileSync(join(descriptors, 't.xml'), hiveXml(bs.map((b) => b.url)));
    const common = ['--descriptors', descriptors, '--port', '0', '--admin-port', '0', '--sticky-key-file', keyFile];
    const plain = serve(common);
    const knox = serve([...common, '--accept-knox-cookies']);
    running.push(plain, knox);
    const [p, k] = await Promise.all([plain.ready, knox.ready]);

    // A cookie for b2 from the first process, signed with the file's key.
    let value: string | undefined;
    for (let i = 0; i < 6 && value === undefined; i++) {
      const a = await get(`${p.url}t/hive`);
      if (a.backend === 'b2') value = valueOf(a.sticky ?? '');
    }
    expect(value).to.equal(hmacHex(key, b2.url));

    // b2 drained on both: only a cookie the process honours leads there.
    for (const admin of [p.admin, k.admin]) {
      expect((await adminPost(admin, '/backends/drain', { topology: 't', service: 'HIVE', url: b2.url })).status).to.equal(200);
    }
    const signed = await get(`${k.url}t/hive`, { cookie: `${HIVE_COOKIE}=${value ?? ''}` });
    expect(signed.backend).to.equal('b2');
    expect(signed.sticky).to.equal(undefined);

    const knoxCookie = `${HIVE_COOKIE}=${sha256Hex(b2.url)}`;
    const accepted = await get(`${k.url}t/hive`, { cookie: knoxCookie });
    expect(accepted.backend).to.equal('b2');
    expect(valueOf(accepted.sticky ?? '')).to.equal(hmacHex(key, b2.url));
    const refused = await get(`${p.url}t/hive`, { cookie: knoxCookie });
    expect(refused.backend).to.be.oneOf(['b1', 'b3']);

    plain.child.kill('SIGTERM');
    knox.child.kill('SIGTERM');
    expect(await Promise.all([plain.exited, knox.exited])).to.deep.equal([0, 0]);
  });
});
