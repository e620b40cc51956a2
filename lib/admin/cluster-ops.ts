/**
 * Admin in `serve --workers N`: the primary holds the admin listener and asks every worker over the
 * cluster IPC channel; drain/undrain go to all workers (each has its own balancers), reports are merged.
 */
import cluster, { type Worker } from 'node:cluster';
import { childLogger } from '../core/index.js';
import { mergeReports } from './merge-reports.js';
import { aggregateMetrics, localMetricsJson, type MetricsJson } from './metrics-text.js';
import type { Gateway, ReloadResult } from '../gateway/index.js';
import type { AdminOps, BackendsReport, DrainRequest, Readiness } from './types.js';

const log = childLogger('admin');
const REQ = 'hadispatch:admin-req';
const RES = 'hadispatch:admin-res';
const TIMEOUT_MS = 5000;

type OpName = 'ready' | 'backends' | 'drain' | 'undrain' | 'metrics' | 'reload';
interface OpRequest { readonly type: typeof REQ; readonly id: number; readonly op: OpName; readonly arg?: DrainRequest }
interface OpResponse { readonly type: typeof RES; readonly id: number; readonly result?: unknown; readonly error?: string }

/** In a worker: answers the primary's admin requests from the local gateway. */
export function serveAdminToPrimary(gateway: Gateway, local: AdminOps): () => void {
  const onMessage = (msg: unknown): void => {
    const req = msg as Partial<OpRequest> | null;
    if (req?.type !== REQ || typeof req.id !== 'number' || req.op === undefined) return;
    const id = req.id;
    runLocal(gateway, local, req.op, req.arg).then(
      (result) => process.send?.({ type: RES, id, result } satisfies OpResponse),
      (err: unknown) => process.send?.({ type: RES, id, error: String(err) } satisfies OpResponse),
    );
  };
  process.on('message', onMessage);
  return () => { process.off('message', onMessage); };
}

function runLocal(gateway: Gateway, local: AdminOps, op: OpName, arg: DrainRequest | undefined): Promise<unknown> {
  switch (op) {
    case 'ready': return local.ready();
    case 'backends': return local.backends();
    case 'drain': return local.setDraining(arg as DrainRequest, true);
    case 'undrain': return local.setDraining(arg as DrainRequest, false);
    case 'metrics': return localMetricsJson(gateway.view);
    case 'reload': return local.reload();
    default: {
      const never: never = op;
      return Promise.reject(new Error(`unknown admin op ${String(never)}`));
    }
  }
}

/** In the primary: admin operations answered by all live workers. */
export function createClusterOps(): AdminOps {
  let nextId = 1;
  const ask = (op: OpName, arg?: DrainRequest): Promise<unknown[]> => {
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
    return Promise.all(workers.map((w) => askWorker(w, { type: REQ, id: nextId++, op, ...(arg ? { arg } : {}) })));
  };
  return {
    async ready() {
      const answers = (await ask('ready')) as Readiness[];
      if (answers.length === 0) return { ready: false, reasons: ['no worker is running'] };
      const reasons = [...new Set(answers.flatMap((a) => a.reasons))];
      return { ready: answers.every((a) => a.ready), reasons };
    },
    backends: async () => mergeReports((await ask('backends')) as BackendsReport[]),
    setDraining: async (req, on) => ((await ask(on ? 'drain' : 'undrain', req)) as boolean[]).some(Boolean),
    metrics: async () => aggregateMetrics((await ask('metrics')) as MetricsJson[]),
    async reload() {
      const results = (await ask('reload')) as ReloadResult[];
      const first = results[0];
      if (!first) throw new Error('no worker is running');
      return first;
    },
  };
}

function askWorker(worker: Worker, req: OpRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { done(); reject(new Error(`worker ${worker.id} did not answer ${req.op}`)); }, TIMEOUT_MS);
    const onMessage = (msg: unknown): void => {
      const res = msg as Partial<OpResponse> | null;
      if (res?.type !== RES || res.id !== req.id) return;
      done();
      if (res.error !== undefined) reject(new Error(res.error));
      else resolve(res.result);
    };
    const done = (): void => { clearTimeout(timer); worker.off('message', onMessage); };
    worker.on('message', onMessage);
    try {
      worker.send(req);
    } catch (err) {
      done();
      log.warn('admin request to worker failed', { worker: worker.id, op: req.op });
      reject(err as Error);
    }
  });
}
