/**
 * Discovery benchmark: how long a znode change takes to reach routing (create/delete → snapshot
 * delivered to a subscriber), and what a refresh costs with 1,000 children. Starts its own ZooKeeper.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { makeServiceConfig } from '../../lib/descriptor/index.js';
import { createDiscovery, createZkClient, parseZnodes, type BackendSource, type ZkClient } from '../../lib/discovery/index.js';
import { createIncrementalParser } from '../../lib/discovery/formats/index.js';
import { startZkServer } from '../../test/helpers/zk-server.js';
import { markdownTable, median, percentile, type BenchSection } from './types.js';

const CHANGES = 400;
const BIG = 1000;

function nextSnapshot(source: BackendSource, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error('no snapshot within 5 s')); }, timeoutMs);
    const off = source.subscribe(() => { clearTimeout(timer); off(); resolve(performance.now()); });
  });
}

/** Per change: ms from issuing it to the snapshot, and from ZooKeeper's acknowledgement (the commit) to the snapshot. */
interface Latency { readonly fromIssue: number; readonly fromCommit: number }

/** Latency of `changes` alternating creates and deletes under `ns`, each until its snapshot arrives. */
async function changeLatencies(admin: ZkClient, source: BackendSource, ns: string, changes: number): Promise<Latency[]> {
  const out: Latency[] = [];
  for (let i = 0; i < changes / 2; i++) {
    const path = `/${ns}/change-${i}`;
    for (const op of ['create', 'delete'] as const) {
      const delivered = nextSnapshot(source);
      const t0 = performance.now();
      if (op === 'create') await admin.create(path, Buffer.from(`http://change-${i}:8080`), 'persistent');
      else await admin.remove(path);
      const acked = performance.now();
      const t1 = await delivered;
      out.push({ fromIssue: t1 - t0, fromCommit: Math.max(0, t1 - acked) });
    }
  }
  return out;
}

async function firstSnapshotMs(ensemble: string, ns: string): Promise<number> {
  const discovery = createDiscovery({ sessionTimeoutMs: 10000 });
  const t0 = performance.now();
  const source = discovery.source('bench', makeServiceConfig({ name: 'BIG', zookeeperEnsemble: ensemble, zookeeperNamespace: ns, zookeeperFormat: 'url' }));
  const t1 = source.current() ? performance.now() : await nextSnapshot(source, 20000);
  await discovery.close();
  return t1 - t0;
}

const fmt = (ms: number): string => ms.toFixed(2);

/** Runs the discovery benchmark. */
export async function bench(): Promise<BenchSection> {
  const zk = await startZkServer();
  const admin = createZkClient(zk.connectString, { sessionTimeoutMs: 10000, callTimeoutMs: 10000 });
  const discovery = createDiscovery({ sessionTimeoutMs: 10000 });
  try {
    await admin.whenConnected(10000);
    await admin.mkdirp('/small');
    for (let i = 0; i < 10; i++) await admin.create(`/small/base-${i}`, Buffer.from(`http://base-${i}:8080`), 'persistent');
    const small = discovery.source('bench', makeServiceConfig({ name: 'SMALL', zookeeperEnsemble: zk.connectString, zookeeperNamespace: 'small', zookeeperFormat: 'url' }));
    while (small.current()?.backends.length !== 10) await nextSnapshot(small).catch(() => undefined);
    await changeLatencies(admin, small, 'small', 20); // warm-up
    const smallLat = await changeLatencies(admin, small, 'small', CHANGES);

    await admin.mkdirp('/big');
    await Promise.all(Array.from({ length: BIG }, (_, i) => admin.create(`/big/n-${String(i).padStart(4, '0')}`, Buffer.from(`http://host-${i}.example.com:8080`), 'persistent')));
    const big = discovery.source('bench', makeServiceConfig({ name: 'BIG', zookeeperEnsemble: zk.connectString, zookeeperNamespace: 'big', zookeeperFormat: 'url' }));
    while (big.current()?.backends.length !== BIG) await nextSnapshot(big, 20000).catch(() => undefined);
    const bigLat = await changeLatencies(admin, big, 'big', 200);
    const full: number[] = [];
    for (let i = 0; i < 10; i++) full.push(await firstSnapshotMs(zk.connectString, 'big'));
    const children = Array.from({ length: BIG }, (_, i) => ({ name: `n-${i}`, data: Buffer.from(`http://host-${i}.example.com:8080`) }));
    const parse: number[] = [];
    for (let i = 0; i < 50; i++) { const t0 = performance.now(); parseZnodes('url', children, { parentPath: '/big' }); parse.push(performance.now() - t0); }
    // What a watch event costs the source: the same 1,000 children plus or minus one new child.
    const incremental: number[] = [];
    const parser = createIncrementalParser('url');
    parser.parse(children, { parentPath: '/big' });
    const plusOne = [...children, { name: 'n-new', data: Buffer.from('http://new.example.com:8080') }];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      parser.parse(i % 2 === 0 ? plusOne : children, { parentPath: '/big' });
      incremental.push(performance.now() - t0);
    }

    const row = (label: string, xs: readonly Latency[]): (string | number)[][] => [
      [`${label}: from issuing the change`, xs.length, fmt(median(xs.map((x) => x.fromIssue))), fmt(percentile(xs.map((x) => x.fromIssue), 99))],
      [`${label}: from ZooKeeper's commit (ack)`, xs.length, fmt(median(xs.map((x) => x.fromCommit))), fmt(percentile(xs.map((x) => x.fromCommit), 99))],
    ];
    const table = markdownTable(['measurement', 'n', 'median ms', 'p99 ms'], [
      ...row('znode create/delete → snapshot delivered, 10 children', smallLat),
      ...row('znode create/delete → snapshot delivered, 1,000 children', bigLat),
      ['full read of 1,000 children: new session → first snapshot', full.length, fmt(median(full)), fmt(percentile(full, 99))],
      ['parse + validate + sort 1,000 children (CPU only)', parse.length, fmt(median(parse)), fmt(percentile(parse, 99))],
      ['incremental re-parse of 1,000 children after one child added/removed (CPU only)', incremental.length, fmt(median(incremental)), fmt(percentile(incremental, 99))],
    ]);
    return {
      title: 'ZooKeeper discovery',
      table,
      notes: 'Latency is measured from issuing the create/delete on a second client until a subscriber of the source receives the new snapshot ' +
        '(one local ZooKeeper 3.8, url format). With watches armed, a change re-reads the child list and only the new child\'s data, ' +
        'and re-parses only new or changed children (unchanged ones keep their parse result and entry object), ' +
        'so it costs little more with 1,000 children; a full refresh (after a new session) reads every child. ' +
        `"From issuing" includes ZooKeeper's own write (transaction log fsync). Load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs.`,
    };
  } finally {
    await discovery.close();
    await admin.close(200);
    await zk.destroy();
  }
}
