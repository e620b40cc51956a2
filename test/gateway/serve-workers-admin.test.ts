import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { eventually } from '../helpers/eventually.js';
import { haXml } from '../helpers/gateway.js';
import { answers, servingLine, workerPids, type Served, useServeFixture } from './fixtures/serve-process.js';

// Each admin call on its own connection: between calls the tests wait for worker restarts, which on a
// loaded machine can take as long as the admin listener's 5 s keep-alive timeout, and a reused
// connection the server closes at that moment would fail the next call.
const FRESH = { reset: true } as const;

async function postDrain(admin: string, body: object, path = '/backends/drain'): Promise<{ status: number; ms: number; body: unknown }> {
  const started = Date.now();
  const res = await request(`${admin}${path}`, { method: 'POST', body: JSON.stringify(body), reset: true });
  return { status: res.statusCode, ms: Date.now() - started, body: await res.body.json() };
}

/** Sum of the samples of `name` (with `topology="t"`) in a Prometheus text. */
function sampleSum(metrics: string, name: string): number {
  return [...metrics.matchAll(new RegExp(`^${name}\\{[^}]*topology="t"[^}]*\\} (\\d+)`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
}

async function scrape(admin: string): Promise<string> {
  return (await request(`${admin}/metrics`, FRESH)).body.text();
}

/** SIGKILLs one worker and resolves with the new worker's pid as soon as the primary has forked it. */
async function killOneWorker(s: Served): Promise<number> {
  const [victim, survivor] = workerPids(s.child.pid);
  expect(victim).to.be.a('number');
  process.kill(victim as number, 'SIGKILL');
  return eventually(() => {
    const fresh = workerPids(s.child.pid).filter((p) => p !== victim && p !== survivor);
    expect(fresh).to.have.length(1);
    return fresh[0] as number;
  }, 40000, 10);
}

/**
 * Waits until `n` workers in all (restarts included) have started and answer admin requests (their
 * `worker ready` debug line: the processes run at log level debug).
 */
async function workersStarted(s: Served, n: number): Promise<void> {
  await eventually(() => expect(s.logs.filter((l) => l['message'] === 'worker ready')).to.have.length(n), 30000, 50);
}

describe('hadispatch serve --workers: admin while workers restart or stall (CLI)', function () {
  this.timeout(120000);
  const fx = useServeFixture('had-workers-admin-');

  const startLoadBalanced = async (workers: number): Promise<{ s: Served; url: string; admin: string }> => {
    writeFileSync(join(fx.dir, 't.xml'), haXml([{ name: 'WHOAMI', urls: [fx.b1.url, fx.b2.url], attrs: { enableLoadBalancing: true } }]));
    const s = fx.serve(['--descriptors', fx.dir, '--port', '0', '--admin-port', '0', '--workers', String(workers)], { LOG_LEVEL: 'debug' });
    const line = await servingLine(s);
    return { s, url: `${line.url}t/whoami`, admin: line.admin ?? '' };
  };

  // Regression (CI): the serving line was printed once the workers listened, before they said they
  // answer admin requests, so a drain sent right after it could find no worker and fail with 500.
  it('prints the serving line only once every worker answers admin requests', async () => {
    const { admin } = await startLoadBalanced(3);
    const report = await (await request(`${admin}/backends`, FRESH)).body.json() as { workers: { answered: number[]; starting: number[]; unanswered: number[] } };
    expect(report.workers.answered).to.have.length(3);
    expect(report.workers).to.deep.include({ starting: [], unanswered: [] });
  });

  it('answers 503 HAD_ERR_ADMIN_UNAVAILABLE to a drain while every worker restarts, and does not remember it', async () => {
    const { s, admin } = await startLoadBalanced(2);
    const victims = workerPids(s.child.pid);
    expect(victims).to.have.length(2);
    for (const pid of victims) process.kill(pid, 'SIGKILL');
    // Restarts wait at least 1 s: meanwhile no worker is running.
    await eventually(() => expect(workerPids(s.child.pid).filter((p) => victims.includes(p))).to.deep.equal([]), 5000, 10);
    const refused = await postDrain(admin, { topology: 't', service: 'WHOAMI', url: fx.b1.url });
    expect(refused.status).to.equal(503);
    expect(refused.body).to.include({ code: 'HAD_ERR_ADMIN_UNAVAILABLE' });
    await workersStarted(s, 4);
    // (With --port 0 the restarted workers listen on a new port: the cluster closed the old one.)
    const report = await (await request(`${admin}/backends`, FRESH)).body.json() as { workers: { answered: number[] }; topologies: { services: { backends: { url: string; state: string }[] }[] }[] };
    expect(report.workers.answered).to.have.length(2);
    expect(report.topologies[0]?.services[0]?.backends.map((b) => b.state)).to.deep.equal(['up', 'up']);
  });

  it('answers 503 to a drain no stalled worker answered in time, and keeps it for the workers that apply it later', async () => {
    const { s, url, admin } = await startLoadBalanced(2);
    const stopped = workerPids(s.child.pid);
    expect(stopped).to.have.length(2);
    for (const pid of stopped) process.kill(pid, 'SIGSTOP');
    let refused: { status: number; body: unknown };
    try {
      refused = await postDrain(admin, { topology: 't', service: 'WHOAMI', url: fx.b1.url });
    } finally {
      for (const pid of stopped) process.kill(pid, 'SIGCONT');
    }
    expect(refused.status).to.equal(503);
    expect(refused.body).to.include({ code: 'HAD_ERR_ADMIN_UNAVAILABLE' });
    // The resumed workers apply the request they held; a restarted one gets it replayed.
    await eventually(async () => expect(new Set(await answers(url, 8))).to.deep.equal(new Set(['b2'])), 3000, 100);
    await killOneWorker(s);
    await workersStarted(s, 3);
    await eventually(async () => expect(new Set(await answers(url, 8))).to.deep.equal(new Set(['b2'])), 3000, 100);
    expect(new Set(await answers(url, 16))).to.deep.equal(new Set(['b2']));
  });

  // Regression (review, bug 1): a restarted worker lost the drain marks and sent new sessions to the
  // drained backend again, while /backends kept showing "draining" (the merge kept the worst state).
  it('replays drain marks to a restarted worker, and /backends shows every worker draining', async () => {
    const { s, url, admin } = await startLoadBalanced(2);
    const drained = await postDrain(admin, { topology: 't', service: 'WHOAMI', url: fx.b1.url });
    expect(drained.status).to.equal(200);
    expect(new Set(await answers(url, 8))).to.deep.equal(new Set(['b2']));
    await killOneWorker(s);
    await workersStarted(s, 3);
    // The replay follows the ready message at once; give it a moment to land, then every worker avoids b1.
    await eventually(async () => expect(new Set(await answers(url, 8))).to.deep.equal(new Set(['b2'])), 3000, 100);
    const report = await (await request(`${admin}/backends`, FRESH)).body.json() as { topologies: { services: { backends: { url: string; state: string; workerStates?: unknown }[] }[] }[] };
    const b1 = report.topologies[0]?.services[0]?.backends.find((b) => b.url === fx.b1.url);
    expect(b1).to.include({ state: 'draining' });
    expect(b1).not.to.have.property('workerStates');
  });

  // Regression (review, bug 2): while a worker restarted, every admin call waited 5 s for the fresh
  // worker (which ignored the request) and then failed with 500.
  it('answers admin calls at once while a worker restarts, and replays a drain sent meanwhile', async () => {
    const { s, url, admin } = await startLoadBalanced(2);
    await killOneWorker(s);
    const drained = await postDrain(admin, { topology: 't', service: 'WHOAMI', url: fx.b1.url });
    expect(drained.status).to.equal(200);
    expect(drained.body).to.include({ draining: true });
    expect(drained.ms).to.be.below(2500);
    const started = Date.now();
    const backends = await request(`${admin}/backends`, FRESH);
    expect(backends.statusCode).to.equal(200);
    await backends.body.text();
    expect(Date.now() - started).to.be.below(2500);
    await workersStarted(s, 3);
    await eventually(async () => expect(new Set(await answers(url, 8))).to.deep.equal(new Set(['b2'])), 3000, 100);
    const report = await (await request(`${admin}/backends`, FRESH)).body.json() as { workers: { answered: number[]; starting: number[] } };
    expect(report.workers).to.deep.include({ starting: [], unanswered: [] });
    expect(report.workers.answered).to.have.length(2);
  });

  // Regression (review, bug 3): each worker counted the list, so --workers 3 read 3 at start and 6
  // after one change instead of the documented 1 and 2.
  it('counts hadispatch_backend_list_changes_total once per list, not once per worker', async () => {
    const s = fx.serve(['--descriptors', fx.dir, '--port', '0', '--admin-port', '0', '--workers', '3']);
    const admin = (await servingLine(s)).admin ?? '';
    expect(sampleSum(await scrape(admin), 'hadispatch_backend_list_changes_total')).to.equal(1);
    writeFileSync(join(fx.dir, 't.xml'), haXml([{ name: 'WHOAMI', urls: [fx.b1.url, fx.b2.url] }]));
    await eventually(async () => {
      const report = await (await request(`${admin}/backends`, FRESH)).body.json() as { topologies: { services: { backends: unknown[] }[] }[] };
      expect(report.topologies[0]?.services[0]?.backends).to.have.length(2);
    }, 10000, 100);
    expect(sampleSum(await scrape(admin), 'hadispatch_backend_list_changes_total')).to.equal(2);
  });

  it('keeps the counters of a worker that died in the aggregated sums', async () => {
    const { s, url, admin } = await startLoadBalanced(2);
    await answers(url, 20);
    expect(sampleSum(await scrape(admin), 'hadispatch_requests_total')).to.equal(20);
    await killOneWorker(s);
    await workersStarted(s, 3);
    expect(sampleSum(await scrape(admin), 'hadispatch_requests_total')).to.equal(20);
    await answers(url, 4);
    expect(sampleSum(await scrape(admin), 'hadispatch_requests_total')).to.equal(24);
  });

  // Regression (review, bug 2): one worker that did not answer made every admin call fail with 500.
  it('answers without a worker that does not answer in time, and says which one is missing', async () => {
    const { s, url, admin } = await startLoadBalanced(2);
    await answers(url, 10);
    expect(sampleSum(await scrape(admin), 'hadispatch_requests_total')).to.equal(10);
    const [stopped] = workerPids(s.child.pid);
    process.kill(stopped as number, 'SIGSTOP');
    try {
      const [backends, drained, metrics, ready] = await Promise.all([
        request(`${admin}/backends`, FRESH).then(async (r) => ({ status: r.statusCode, body: await r.body.json() as { workers: { answered: number[]; unanswered: number[] } } })),
        postDrain(admin, { topology: 't', service: 'WHOAMI', url: fx.b1.url }),
        scrape(admin),
        request(`${admin}/ready`, FRESH).then(async (r) => ({ status: r.statusCode, body: await r.body.json() as { reasons: string[] } })),
      ]);
      expect(backends.status).to.equal(200);
      expect(backends.body.workers.answered).to.have.length(1);
      expect(backends.body.workers.unanswered).to.have.length(1);
      expect(drained.status).to.equal(200);
      // The silent worker's counters as of its last answer stay in the sums.
      expect(sampleSum(metrics, 'hadispatch_requests_total')).to.equal(10);
      expect(ready.status).to.equal(503);
      expect(ready.body.reasons).to.deep.equal([`worker ${backends.body.workers.unanswered[0]} did not answer`]);
    } finally {
      process.kill(stopped as number, 'SIGCONT');
    }
  });
});
