import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeServiceConfig } from '../../lib/descriptor/index.js';
import { createDiscovery, resolveOnce } from '../../lib/discovery/index.js';
import Transport from 'winston-transport';
import { ZkError, addLogTransport, setLogSilent, zkSessionConnected } from '../../lib/core/index.js';
import { eventually } from '../helpers/eventually.js';

/** Nothing listens on port 1 of the loopback: every connect is refused at once. */
const DEAD = '127.0.0.1:1';
const deadService = (name = 'HIVE') =>
  makeServiceConfig({ name, zookeeperEnsemble: DEAD, zookeeperNamespace: 'hiveserver2', zookeeperFormat: 'hive' });

async function gaugeValue(ensemble: string): Promise<number | undefined> {
  return (await zkSessionConnected.get()).values.find((v) => v.labels['ensemble'] === ensemble)?.value;
}

/** Runs `code` (an ES module importing lib through tsx) in a child node; resolves with its output and when it printed `closed` and exited. */
function runScript(file: string): Promise<{ stdout: string; closedAt: number | undefined; exitedAt: number; code: number | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: resolve('.'), env: { ...process.env, HAD_TEST: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let closedAt: number | undefined;
    const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); if (closedAt === undefined && stdout.includes('closed')) closedAt = Date.now(); });
    child.on('error', fail);
    child.on('exit', (code) => { clearTimeout(killer); done({ stdout, closedAt, exitedAt: Date.now(), code }); });
  });
}

/**
 * A server that answers every connect request with a session timeout of 0, which the client library
 * reads as EXPIRED: a misbehaving server or proxy a real ZooKeeper cannot be made to imitate.
 */
async function startExpiringServer(): Promise<{ server: Server; port: number; connections(): number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.on('error', () => undefined);
    socket.once('data', () => {
      const answer = Buffer.alloc(36);
      answer.writeInt32BE(answer.length - 4, 0); // length; protocol version 0, timeOut 0, session 0
      answer.writeInt32BE(16, 20); // password length
      socket.write(answer);
    });
  });
  await new Promise<void>((done) => { server.listen(0, '127.0.0.1', done); });
  const { port } = server.address() as { port: number };
  return { server, port, connections: () => connections };
}

describe('ZooKeeper discovery: a server that expires every new session (no ZooKeeper needed)', () => {
  // Regression: each EXPIRED started a new client at once, with no back-off: 3,334 connections in 2 s.
  it('waits the capped back-off between clients that never connected', async () => {
    const fake = await startExpiringServer();
    const d = createDiscovery({ connectTimeoutMs: 1000, backoff: { baseMs: 100, maxMs: 400 }, random: () => 0 });
    const started = Date.now();
    try {
      d.source('t', makeServiceConfig({ name: 'HIVE', zookeeperEnsemble: `127.0.0.1:${fake.port}`, zookeeperNamespace: 'hs2', zookeeperFormat: 'hive' }));
      await eventually(() => expect(fake.connections()).to.be.at.least(4), 5000);
      // With random() = 0 the waits are half the capped delays: 0 (first replacement), 50, 100.
      expect(Date.now() - started).to.be.at.least(150);
      expect(d.sessions()[0]!.reconnects).to.be.below(10);
    } finally {
      await d.close();
      fake.server.close();
    }
  });
});

describe('ZooKeeper discovery: an unreachable ensemble (no server needed)', function () {
  this.timeout(20000);

  // Regression: SIGTERM with a ZooKeeper-backed service whose ensemble was down exited ~3.6 s after
  // "gateway stopped": the connect timeout (5 s) was never cleared on close and kept the process alive.
  it('closes within 500 ms and leaves nothing that keeps the process alive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'had-close-'));
    try {
      const lib = (p: string): string => pathToFileURL(resolve(p)).href;
      const file = join(dir, 'close.mts');
      await writeFile(file, [
        `import { makeServiceConfig } from '${lib('lib/descriptor/index.ts')}';`,
        `import { createDiscovery } from '${lib('lib/discovery/index.ts')}';`,
        `const d = createDiscovery({ stateDir: ${JSON.stringify(join(dir, 'state'))} });`,
        `d.source('t', makeServiceConfig({ name: 'HIVE', zookeeperEnsemble: '${DEAD}', zookeeperNamespace: 'hiveserver2', zookeeperFormat: 'hive' }));`,
        // Long enough for a failed connect and a back-off sleep to be under way.
        `await new Promise((r) => setTimeout(r, 700));`,
        `const t0 = Date.now();`,
        `await d.close();`,
        `process.stdout.write('closed ' + (Date.now() - t0) + '\\n');`,
      ].join('\n'));
      const r = await runScript(file);
      expect(r.code, r.stdout).to.equal(0);
      const closeMs = Number(/closed (\d+)/.exec(r.stdout)?.[1]);
      expect(closeMs, 'Discovery.close()').to.be.below(500);
      expect(r.exitedAt - r.closedAt!, 'exit after close').to.be.below(2000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Regression: a session that never connected had no hadispatch_zookeeper_session_connected series at all.
  it('shows a session that never connected as connected 0', async () => {
    const ensemble = `${DEAD}/gauge-${process.pid}`;
    const d = createDiscovery({ connectTimeoutMs: 200, backoff: { baseMs: 50, maxMs: 100 } });
    try {
      d.source('t', makeServiceConfig({ name: 'HIVE', zookeeperEnsemble: ensemble, zookeeperNamespace: 'hiveserver2', zookeeperFormat: 'hive' }));
      expect(await gaugeValue(ensemble)).to.equal(0);
    } finally {
      await d.close();
    }
    expect(await gaugeValue(ensemble)).to.equal(undefined);
  });

  // Regression: an ensemble that cannot be reached was reported as HAD_ERR_ZK_TIMEOUT (a call that timed out).
  it('reports an ensemble that cannot be reached as HAD_ERR_ZK_UNAVAILABLE', async () => {
    const err = await resolveOnce('t', deadService(), { connectTimeoutMs: 300 }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ZkError);
    expect((err as ZkError).code).to.equal('HAD_ERR_ZK_UNAVAILABLE');

    const codes: unknown[] = [];
    const transport = new (class extends Transport {
      override log(info: Record<string, unknown>, next: () => void): void {
        if (info['ensemble'] === DEAD && info['level'] === 'warn' && info['err'] !== undefined) codes.push(info['code']);
        next();
      }
    })();
    const detach = addLogTransport(transport);
    const d = createDiscovery({ connectTimeoutMs: 200, backoff: { baseMs: 50, maxMs: 100 } });
    try {
      const s = d.source('t', deadService());
      await eventually(() => expect(codes).to.have.length.at.least(2), 3000);
      expect(new Set(codes)).to.deep.equal(new Set(['HAD_ERR_ZK_UNAVAILABLE']));
      expect(s.current()).to.equal(undefined);
    } finally {
      await d.close();
      detach();
      setLogSilent(process.env['LOG_LEVEL'] === undefined);
    }
  });
});
