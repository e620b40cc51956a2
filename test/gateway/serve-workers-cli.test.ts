import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { eventually } from '../helpers/eventually.js';
import { haXml } from '../helpers/gateway.js';
import { createUnwatchedDescriptor, WATCH_QUIET_MS } from './fixtures/unwatched-descriptor.js';
import { answers, servingLine, workerPids, type Served, useServeFixture } from './fixtures/serve-process.js';

/** The stderr lines that are not JSON log lines (what an operator reads as the error). */
function plainLines(s: Served): string[] {
  return s.logs.filter((l) => l['level'] === undefined).map((l) => String(l['message']));
}

describe('hadispatch serve --workers (CLI)', function () {
  this.timeout(120000);
  const fx = useServeFixture('had-workers-');


  it('runs --workers 2 on one port with aggregated metrics', async () => {
    writeFileSync(join(fx.dir, 't.xml'), haXml([{ name: 'WHOAMI', urls: [fx.b1.url, fx.b2.url], attrs: { enableLoadBalancing: true } }]));
    const s = fx.serve(['--descriptors', fx.dir, '--port', '0', '--admin-port', '0', '--workers', '2']);
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
    const s = fx.serve(['--descriptors', fx.dir, '--port', '0', '--workers', '2']);
    const { url } = await servingLine(s);
    const workers = (): number[] => workerPids(s.child.pid);
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

  it('forwards SIGHUP to every worker (a change the folder watch cannot see)', async () => {
    const desc = createUnwatchedDescriptor(fx.dir, 'h', haXml([{ name: 'WHOAMI', urls: [fx.b1.url] }]));
    const s = fx.serve(['--descriptors', desc.dir, '--port', '0', '--workers', '2']);
    const { url } = await servingLine(s);
    expect(new Set(await answers(`${url}h/whoami`, 6))).to.deep.equal(new Set(['b1']));
    desc.write(haXml([{ name: 'WHOAMI', urls: [fx.b2.url] }]));
    await new Promise((resolve) => { setTimeout(resolve, WATCH_QUIET_MS); });
    expect(new Set(await answers(`${url}h/whoami`, 6)), 'the folder watch must not see this change').to.deep.equal(new Set(['b1']));
    s.child.kill('SIGHUP');
    // Both workers must have reloaded: every one of several fresh connections (round robin over the workers) gets b2.
    await eventually(async () => expect(new Set(await answers(`${url}h/whoami`, 6))).to.deep.equal(new Set(['b2'])), 10000, 100);
    s.child.kill('SIGTERM');
    expect(await s.exited).to.equal(0);
  });

  it('exits 1 with the worker start-up error as its one plain stderr line when the port is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => { blocker.listen(0, '127.0.0.1', resolve); });
    const port = (blocker.address() as { port: number }).port;
    try {
      const s = fx.serve(['--descriptors', fx.dir, '--port', String(port), '--workers', '2']);
      expect(await s.exited).to.equal(1);
      expect(plainLines(s)).to.deep.equal([`hadispatch serve: 127.0.0.1:${port}: cannot listen: EADDRINUSE`]);
      expect(s.logs.some((l) => l['message'] === 'worker exited, restarting')).to.equal(false);
    } finally {
      await new Promise((resolve) => { blocker.close(resolve); });
    }
  });

  it('gives up with exit 1 naming the cause when restarted workers keep failing at start-up and none is left', async () => {
    const s = fx.serve(['--descriptors', fx.dir, '--port', '0', '--workers', '2']);
    const { url } = await servingLine(s);
    expect(await answers(`${url}t/whoami`, 2)).to.deep.equal(['b1', 'b1']);
    writeFileSync(join(fx.dir, 't.xml'), '<ha><service name="WHOAMI" enableLoadBalancing="maybe"/></ha>');
    for (const pid of workerPids(s.child.pid)) process.kill(pid, 'SIGKILL');
    expect(await s.exited).to.equal(1);
    const plain = plainLines(s);
    expect(plain).to.have.length(1);
    expect(plain[0]).to.match(/^hadispatch serve: workers keep failing at start-up \(3 in a row\): .*t\.xml/);
  });
});
