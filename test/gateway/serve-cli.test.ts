import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { eventually } from '../helpers/eventually.js';
import { haXml } from '../helpers/gateway.js';
import { parseServeArgs, resolveGatewayOptions } from '../../lib/cli/commands/serve-config.js';

const CLI = ['--import', 'tsx', join('test', 'gateway', 'fixtures', 'hadispatch.ts')];

function runSync(args: readonly string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stderr: r.stderr };
}

/** A `serve` process with its parsed JSON log lines. */
interface Served { readonly child: ChildProcess; readonly logs: Record<string, unknown>[]; readonly exited: Promise<number | null> }

function startServe(args: readonly string[]): Served {
  const child = spawn(process.execPath, [...CLI, 'serve', ...args], { env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let buf = '';
  child.stderr?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try { logs.push(JSON.parse(line) as Record<string, unknown>); } catch { logs.push({ message: line }); }
    }
  });
  const exited = new Promise<number | null>((resolve) => { child.on('exit', (code) => resolve(code)); });
  return { child, logs, exited };
}

async function servingLine(s: Served): Promise<{ url: string; admin?: string }> {
  return eventually(() => {
    const line = s.logs.find((l) => l['message'] === 'hadispatch serving');
    if (!line) throw new Error(`not serving yet: ${JSON.stringify(s.logs)}`);
    return line as { url: string; admin?: string };
  }, 45000, 50);
}

describe('hadispatch serve (CLI)', function () {
  this.timeout(120000);
  let dir: string;
  let b1: TestBackend;
  let b2: TestBackend;
  const running: Served[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'had-serve-'));
    b1 = await startBackend('b1');
    b2 = await startBackend('b2');
    writeFileSync(join(dir, 't.xml'), haXml([{ name: 'WHOAMI', urls: [b1.url] }]));
  });
  afterEach(async () => {
    for (const s of running.splice(0)) if (s.child.exitCode === null) { s.child.kill('SIGKILL'); await s.exited; }
    rmSync(dir, { recursive: true, force: true });
    await closeBackends();
  });

  const usage = [
    { args: ['--port', 'abc'], flag: '--port' },
    { args: ['--port', '70000'], flag: '--port' },
    { args: ['--admin-port=-1'], flag: '--admin-port' },
    { args: ['--workers', '0'], flag: '--workers' },
    { args: ['--tls-cert', 'c.pem'], flag: '--tls-cert' },
    { args: ['--tls-key', 'k.pem'], flag: '--tls-key' },
    { args: ['--accept-knox-cookies'], flag: '--accept-knox-cookies' },
    { args: ['--log-level', 'loud'], flag: '--log-level' },
    { args: ['--gateway-path', 'a/b'], flag: '--gateway-path' },
    { args: ['--bogus'], flag: '--bogus' },
    { args: ['extra'], flag: 'extra' },
  ];
  for (const c of usage) {
    it(`refuses serve ${c.args.join(' ')} as bad usage naming ${c.flag}`, () => {
      let err: unknown;
      try { parseServeArgs(c.args); } catch (e) { err = e; }
      expect(err).to.have.property('code', 'HAD_ERR_CLI_USAGE');
      expect((err as Error).message).to.include(c.flag);
      expect((err as Error).message).not.to.include('\n');
    });
  }

  it('exits 2 with one line on stderr for bad usage', () => {
    const r = runSync(['serve', '--port', 'abc']);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.include('--port');
  });

  async function resolveError(args: readonly string[]): Promise<Error & { code?: string }> {
    try {
      await resolveGatewayOptions(parseServeArgs(args));
    } catch (e) { return e as Error; }
    throw new Error('expected an error');
  }

  it('refuses a missing descriptor folder, TLS file or key file, naming it (exit status 1)', async () => {
    const cases = [
      { args: ['--descriptors', join(dir, 'nope')], name: 'nope' },
      { args: ['--descriptors', dir, '--tls-cert', join(dir, 'c.pem'), '--tls-key', join(dir, 'k.pem')], name: 'c.pem' },
      { args: ['--descriptors', dir, '--sticky-key-file', join(dir, 'keys')], name: 'keys' },
    ];
    for (const c of cases) {
      const err = await resolveError(c.args);
      expect(err.code).to.equal('HAD_ERR_FILE_IO');
      expect(err.message).to.include(c.name);
    }
  });

  it('refuses a sticky key shorter than 16 bytes, naming file and line', async () => {
    writeFileSync(join(dir, 'keys'), '# keys\n\nthis-one-is-long-enough\nshort\n');
    const err = await resolveError(['--descriptors', dir, '--sticky-key-file', join(dir, 'keys')]);
    expect(err.code).to.equal('HAD_ERR_CONFIG_INVALID');
    expect(err.message).to.include(`${join(dir, 'keys')}:4`);
  });

  it('reads a sticky key file: comments and blank lines ignored, first key first', async () => {
    writeFileSync(join(dir, 'keys'), '# current\nfirst-key-0123456789\n\n  second-key-0123456789  \n');
    const opts = await resolveGatewayOptions(parseServeArgs(['--descriptors', dir, '--sticky-key-file', join(dir, 'keys'), '--accept-knox-cookies']));
    expect(opts.stickyKeys?.keys.map((k) => k.toString())).to.deep.equal(['first-key-0123456789', 'second-key-0123456789']);
    expect(opts.stickyKeys?.acceptKnoxCookies).to.equal(true);
  });

  it('exits 1 naming a broken descriptor at start', () => {
    writeFileSync(join(dir, 'bad.xml'), '<ha><service name="X" enableLoadBalancing="maybe"/></ha>');
    const r = runSync(['serve', '--descriptors', dir, '--port', '0']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('bad.xml');
    expect(r.stderr).not.to.include('    at ');
  });

  it('serves, reloads on SIGHUP and exits 0 on SIGTERM', async () => {
    const s = startServe(['--descriptors', dir, '--port', '0', '--admin-port', '0']);
    running.push(s);
    const { url, admin } = await servingLine(s);
    expect(await (await request(`${url}t/whoami`)).body.text()).to.equal('b1');
    expect((await request(`${admin ?? ''}/health`)).statusCode).to.equal(200);
    writeFileSync(join(dir, 't.xml'), haXml([{ name: 'WHOAMI', urls: [b2.url] }]));
    s.child.kill('SIGHUP');
    await eventually(async () => expect(await (await request(`${url}t/whoami`)).body.text()).to.equal('b2'), 5000);
    s.child.kill('SIGTERM');
    expect(await s.exited).to.equal(0);
  });

  it('runs --workers 2 on one port with aggregated metrics', async () => {
    writeFileSync(join(dir, 't.xml'), haXml([{ name: 'WHOAMI', urls: [b1.url, b2.url], attrs: { enableLoadBalancing: true } }]));
    const s = startServe(['--descriptors', dir, '--port', '0', '--admin-port', '0', '--workers', '2']);
    running.push(s);
    const { url, admin } = await servingLine(s);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await request(`${url}t/whoami`, { reset: true });
      expect(res.statusCode).to.equal(200);
      seen.add(await res.body.text());
    }
    expect([...seen].sort()).to.deep.equal(['b1', 'b2']);
    const metrics = await (await request(`${admin ?? ''}/metrics`)).body.text();
    const total = [...metrics.matchAll(/^hadispatch_requests_total\{[^}]*topology="t"[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(total).to.equal(20);
    expect(metrics).to.include('hadispatch_backends{topology="t",service="WHOAMI",state="up"} 2');
    const backends = await (await request(`${admin ?? ''}/backends`)).body.json() as { topologies: { name: string }[] };
    expect(backends.topologies.map((t) => t.name)).to.deep.equal(['t']);
    s.child.kill('SIGTERM');
    expect(await s.exited).to.equal(0);
  });

  it('restarts a worker that dies and keeps serving', async () => {
    const s = startServe(['--descriptors', dir, '--port', '0', '--workers', '2']);
    running.push(s);
    const { url } = await servingLine(s);
    const workers = (): number[] => spawnSync('pgrep', ['-P', String(s.child.pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    const [victim] = workers();
    expect(victim).to.be.a('number');
    process.kill(victim as number, 'SIGKILL');
    await eventually(() => expect(s.logs.some((l) => l['message'] === 'worker exited, restarting')).to.equal(true), 10000);
    await eventually(() => {
      const now = workers();
      expect(now).to.have.length(2);
      expect(now).not.to.include(victim);
    }, 40000, 100);
    for (let i = 0; i < 6; i++) {
      const res = await request(`${url}t/whoami`, { reset: true });
      expect(res.statusCode).to.equal(200);
      await res.body.text();
    }
    s.child.kill('SIGTERM');
    expect(await s.exited).to.equal(0);
  });
});
