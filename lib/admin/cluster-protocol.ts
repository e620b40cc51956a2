/**
 * The IPC messages between the `--workers` primary's admin listener and the workers: a worker
 * announces that it answers admin requests (`ready`), then answers each request with the same id.
 */
import cluster, { type Worker } from 'node:cluster';
import { childLogger, errFields } from '../core/index.js';
import { localMetricsJson } from './metrics-text.js';
import type { Gateway } from '../gateway/index.js';
import type { AdminOps, DrainRequest } from './types.js';

const log = childLogger('admin');
const REQ = 'hadispatch:admin-req';
const RES = 'hadispatch:admin-res';
const READY = 'hadispatch:admin-ready';

/** What the primary can ask a worker. */
export type OpName = 'ready' | 'backends' | 'drain' | 'undrain' | 'metrics' | 'reload';

interface OpRequest { readonly type: typeof REQ; readonly id: number; readonly op: OpName; readonly arg?: DrainRequest }
interface OpResponse { readonly type: typeof RES; readonly id: number; readonly result?: unknown; readonly error?: string }

/** True for the message a worker sends once its admin handler is installed. */
export function isReadyMessage(msg: unknown): boolean {
  return (msg as { type?: unknown } | null)?.type === READY;
}

/**
 * In a worker: answers the primary's admin requests from the local gateway, then tells the primary
 * it is ready for them (until then the primary leaves it out: a freshly forked worker would ignore
 * the request). Requests are handled in the order they arrive. Returns a function that stops it.
 */
export function serveAdminToPrimary(gateway: Gateway, local: AdminOps): () => void {
  const onMessage = (msg: unknown): void => {
    const req = msg as Partial<OpRequest> | null;
    if (req?.type !== REQ || typeof req.id !== 'number' || req.op === undefined) return;
    const id = req.id;
    runLocal(gateway, local, req.op, req.arg).then(
      (result) => toPrimary({ type: RES, id, result } satisfies OpResponse),
      (err: unknown) => toPrimary({ type: RES, id, error: String(err) } satisfies OpResponse),
    );
  };
  process.on('message', onMessage);
  toPrimary({ type: READY });
  return () => { process.off('message', onMessage); };
}

/** Sends to the primary; once the primary is gone there is nobody to tell (and no 'error' event to crash on). */
function toPrimary(msg: object): void {
  process.send?.(msg, undefined, {}, ignore);
}

function ignore(): void {}

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

let nextId = 1;

/**
 * askWorker's rejection when the worker cannot hold the request: its IPC channel closed or it exited
 * (it is going away; a restart replaces it). A worker that is merely slow is a plain Error (timeout).
 */
export class WorkerGoneError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorkerGoneError';
  }
}

/**
 * In the primary: sends `op` to `worker` and resolves with its answer. Rejects when the worker
 * answers with an error, cannot be sent to, exits, or does not answer within `timeoutMs`. Messages to
 * one worker are sent (and handled) in call order.
 */
export function askWorker(worker: Worker, op: OpName, arg: DrainRequest | undefined, timeoutMs: number): Promise<unknown> {
  const req: OpRequest = { type: REQ, id: nextId++, op, ...(arg ? { arg } : {}) };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { done(); reject(new Error(`worker ${worker.id} did not answer ${op} within ${timeoutMs} ms`)); }, timeoutMs);
    const onMessage = (msg: unknown): void => {
      const res = msg as Partial<OpResponse> | null;
      if (res?.type !== RES || res.id !== req.id) return;
      done();
      if (res.error !== undefined) reject(new Error(res.error));
      else resolve(res.result);
    };
    const onExit = (): void => { done(); reject(new WorkerGoneError(`worker ${worker.id} exited before it answered ${op}`)); };
    const done = (): void => { clearTimeout(timer); worker.off('message', onMessage); worker.off('exit', onExit); };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    // With a callback, a closed channel (the worker is exiting: disconnected, 'exit' not yet seen) is
    // reported here; without one it is an 'error' event nobody handles, which ends the primary.
    worker.send(req, undefined, {}, (err: Error | null) => {
      if (err === null) return;
      done();
      log.debug('admin request not sent: the worker is going away', { worker: worker.id, op, ...errFields(err) });
      reject(new WorkerGoneError(`worker ${worker.id} cannot be sent ${op}: ${err.message}`, { cause: err }));
    });
  });
}

/** In the primary: the workers that have not exited. */
export function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
}
