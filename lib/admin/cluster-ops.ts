/**
 * Admin in `serve --workers N`: the primary holds the admin listener and asks the workers over the
 * cluster IPC channel (cluster-protocol.ts). Only workers that said they are ready are asked, and a
 * worker that does not answer in time is left out of the answer instead of failing it. Drain and
 * undrain go to every ready worker and are remembered, so that a worker that starts later (a
 * restart) gets them replayed. Reports are merged; metrics are aggregated, with the counters of
 * workers that died kept.
 */
import cluster, { type Worker } from 'node:cluster';
import { HaError, childLogger, errFields } from '../core/index.js';
import { askWorker, isReadyMessage, liveWorkers, WorkerGoneError, type OpName } from './cluster-protocol.js';
import { createDrainMemory, createMetricsMemory } from './cluster-memory.js';
import { mergeReports } from './merge-reports.js';
import { aggregateMetrics, type MetricsJson } from './metrics-text.js';
import type { ReloadResult } from '../gateway/index.js';
import type { AdminOps, BackendsReport, DrainRequest, Readiness, WorkersAnswered } from './types.js';

const log = childLogger('admin');

/** How long the primary waits for a worker's answer before answering without it. */
const WORKER_ANSWER_TIMEOUT_MS = 5000;

/** The primary's admin operations; `close()` stops following the workers. */
export interface ClusterOps extends AdminOps {
  close(): void;
}

interface Gathered<T> extends WorkersAnswered {
  readonly answers: readonly { readonly worker: Worker; readonly value: T }[];
}

/**
 * In the primary (create it before forking, so that no worker's ready message is missed): admin
 * operations answered by the ready workers. `setDraining` and `reload` throw HAD_ERR_ADMIN_UNAVAILABLE
 * (a 503) when no worker answered.
 */
export function createClusterOps(): ClusterOps {
  const ready = new Set<number>();
  const drains = createDrainMemory();
  const metricsMemory = createMetricsMemory();

  const gather = async <T>(op: OpName, arg?: DrainRequest): Promise<Gathered<T>> => {
    const live = liveWorkers();
    const asked = live.filter((w) => ready.has(w.id) && w.isConnected());
    const settled = await Promise.allSettled(asked.map((w) => askWorker(w, op, arg, WORKER_ANSWER_TIMEOUT_MS)));
    const answers: { worker: Worker; value: T }[] = [];
    const unanswered: number[] = [];
    settled.forEach((r, i) => {
      const worker = asked[i] as Worker;
      if (r.status === 'fulfilled') { answers.push({ worker, value: r.value as T }); return; }
      // A worker going away (channel closed, or exited) holds nothing: not waited for, a restart replaces it.
      if (r.reason instanceof WorkerGoneError) return;
      unanswered.push(worker.id);
      log.warn('worker did not answer', { worker: worker.id, op, ...errFields(r.reason) });
    });
    return {
      answers,
      answered: answers.map((a) => a.worker.id),
      starting: live.filter((w) => !ready.has(w.id)).map((w) => w.id),
      unanswered,
    };
  };

  // Sent at once, in order, before any later request can reach this worker: a drain that arrives
  // meanwhile is recorded before it is sent and so reaches the worker after the replay.
  const replayDrains = (worker: Worker): void => {
    const marks = drains.list();
    if (marks.length === 0) return;
    void Promise.allSettled(marks.map((m) => askWorker(worker, m.draining ? 'drain' : 'undrain', m.request, WORKER_ANSWER_TIMEOUT_MS))).then((results) => {
      const applied = results.filter((r) => r.status === 'fulfilled' && r.value === true).length;
      log.info('drain marks replayed', { worker: worker.id, marks: marks.length, applied });
    });
  };

  const onMessage = (worker: Worker, msg: unknown): void => {
    if (!isReadyMessage(msg)) return;
    ready.add(worker.id);
    replayDrains(worker);
  };
  const onExit = (worker: Worker): void => {
    ready.delete(worker.id);
    metricsMemory.retire(worker.id);
  };
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);

  return {
    async ready() {
      const g = await gather<Readiness>('ready');
      if (g.answered.length === 0 && g.unanswered.length === 0) {
        return { ready: false, reasons: [g.starting.length > 0 ? 'the workers are starting' : 'no worker is running'] };
      }
      const reasons = [...new Set([...g.answers.flatMap((a) => a.value.reasons), ...g.unanswered.map((id) => `worker ${id} did not answer`)])];
      return { ready: g.unanswered.length === 0 && g.answers.every((a) => a.value.ready), reasons };
    },
    async backends() {
      const g = await gather<BackendsReport>('backends');
      return { ...mergeReports(g.answers.map((a) => a.value)), workers: { answered: g.answered, starting: g.starting, unanswered: g.unanswered } };
    },
    async setDraining(request, draining) {
      const mark = drains.record(request, draining);
      const g = await gather<boolean>(draining ? 'drain' : 'undrain', request);
      if (g.answers.some((a) => a.value)) return true;
      // Asked but silent workers still hold the request and apply it when they resume: the mark stays
      // so that a restarted worker agrees with them. Nobody asked (all starting): nothing to keep.
      if (g.answers.length > 0 || g.unanswered.length === 0) drains.forget(mark);
      if (g.answers.length === 0) throw new HaError('HAD_ERR_ADMIN_UNAVAILABLE', `no worker answered the ${draining ? 'drain' : 'undrain'} request`);
      return false;
    },
    async metrics() {
      const g = await gather<MetricsJson>('metrics');
      for (const a of g.answers) metricsMemory.remember(a.worker, a.value);
      const lastKnown = metricsMemory.lastOf(g.unanswered);
      return aggregateMetrics([...g.answers.map((a) => a.value), ...lastKnown, await metricsMemory.retired()]);
    },
    async reload() {
      const g = await gather<ReloadResult>('reload');
      const first = g.answers[0];
      if (!first) throw new HaError('HAD_ERR_ADMIN_UNAVAILABLE', 'no worker answered the reload request');
      return first.value;
    },
    close() {
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
    },
  };
}
