/**
 * The `--workers` primary's side of the worker processes: fork them, pass a worker's start-up error
 * through to the primary (so the operator reads one line from the primary), restart workers that
 * exit with back-off and a limit (serve-restarts.ts), and stop them.
 */
import cluster, { type Worker } from 'node:cluster';
import { ConfigError, childLogger } from '../../core/index.js';
import { isReadyMessage, liveWorkers } from '../../admin/index.js';
import { decideRestart, onWorkerListening, INITIAL_RESTART_STATE, type RestartPolicy, type RestartState } from './serve-restarts.js';

const log = childLogger('gateway');
const STARTUP_ERROR = 'hadispatch:startup-error';

interface StartupErrorMessage { readonly type: typeof STARTUP_ERROR; readonly message: string }

/**
 * In a worker: sends its start-up error to the primary, or writes it to stderr when there is no
 * primary to send it to. Resolves once the message is on its way (the worker exits next).
 */
export function reportStartupError(message: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) {
      process.stderr.write(`hadispatch serve: ${message}\n`);
      resolve();
      return;
    }
    process.send({ type: STARTUP_ERROR, message } satisfies StartupErrorMessage, undefined, {}, () => resolve());
  });
}

/** In the primary: the last start-up error each worker reported. */
export interface StartupErrors {
  /** The error worker `id` reported, or a generic line naming its exit status. */
  describe(worker: Worker, code: number | null, signal: string | null): string;
  stop(): void;
}

/** Starts collecting start-up errors from the workers. */
export function collectStartupErrors(): StartupErrors {
  const byWorker = new Map<number, string>();
  const onMessage = (worker: Worker, msg: unknown): void => {
    const m = msg as Partial<StartupErrorMessage> | null;
    if (m?.type === STARTUP_ERROR && typeof m.message === 'string') byWorker.set(worker.id, m.message);
  };
  cluster.on('message', onMessage);
  return {
    describe(worker, code, signal) {
      return byWorker.get(worker.id) ?? `worker ${worker.id} exited during start-up (${signal ?? `status ${code ?? 'unknown'}`})`;
    },
    stop() { cluster.off('message', onMessage); },
  };
}

/**
 * Forks `n` workers; resolves with the shared port once every one listens and has said it answers
 * admin requests (its ready message comes after its listener is bound), so that the primary's
 * `serving` line means an admin call reaches all of them. Rejects with ConfigError carrying the
 * worker's own start-up error (e.g. `127.0.0.1:8443: cannot listen: EADDRINUSE`) if one exits first.
 */
export function startWorkers(n: number, errors: StartupErrors): Promise<number> {
  return new Promise((resolve, reject) => {
    const ready = new Set<number>();
    let port: number | undefined;
    const settleIfStarted = (): void => {
      if (port !== undefined && ready.size === n) { cleanup(); resolve(port); }
    };
    const onListening = (_w: Worker, address: { port: number }): void => { port = address.port; settleIfStarted(); };
    const onMessage = (worker: Worker, msg: unknown): void => {
      if (!isReadyMessage(msg)) return;
      ready.add(worker.id);
      settleIfStarted();
    };
    const onExit = (worker: Worker, code: number | null, signal: string | null): void => {
      cleanup();
      reject(new ConfigError(errors.describe(worker, code, signal)));
    };
    const cleanup = (): void => {
      cluster.off('listening', onListening);
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
    };
    cluster.on('listening', onListening);
    cluster.on('message', onMessage);
    cluster.on('exit', onExit);
    for (let i = 0; i < n; i++) cluster.fork();
  });
}

/** Restarts exiting workers until stopped, or gives up. */
export interface Supervisor {
  /** Resolves with the error to exit with when restarts keep failing at start-up; never rejects. */
  readonly gaveUp: Promise<ConfigError>;
  /** Stops restarting (before a shutdown). */
  stop(): void;
}

/** Watches the running workers and restarts each one that exits, as `policy` says. */
export function superviseWorkers(policy: RestartPolicy, errors: StartupErrors, clock: () => number = Date.now): Supervisor {
  let state: RestartState = INITIAL_RESTART_STATE;
  const forkedAt = new Map<number, number>();
  const listened = new Set<number>();
  for (const w of liveWorkers()) { forkedAt.set(w.id, clock()); listened.add(w.id); }
  const restarts = createRestartTimers(() => forkedAt.set(cluster.fork().id, clock()));
  let giveUp: (err: ConfigError) => void = () => undefined;
  const gaveUp = new Promise<ConfigError>((resolve) => { giveUp = resolve; });
  const onListening = (worker: Worker): void => { listened.add(worker.id); state = onWorkerListening(state); };
  const onExit = (worker: Worker, code: number | null, signal: string | null): void => {
    const exit = {
      listened: listened.has(worker.id),
      uptimeMs: clock() - (forkedAt.get(worker.id) ?? clock()),
      othersAlive: liveWorkers().filter((w) => w.id !== worker.id && listened.has(w.id)).length,
    };
    const decision = decideRestart(state, exit, policy);
    state = decision.state;
    const reason = exit.listened ? undefined : errors.describe(worker, code, signal);
    if (decision.kind === 'give-up') {
      stop();
      log.error('worker start-up keeps failing, giving up', { worker: worker.id, failures: state.startupFailures, reason });
      giveUp(new ConfigError(`workers keep failing at start-up (${state.startupFailures} in a row): ${reason ?? 'unknown'}`));
      return;
    }
    log.warn('worker exited, restarting', { worker: worker.id, code, signal, delayMs: decision.delayMs, ...(reason ? { reason } : {}) });
    restarts.after(decision.delayMs);
  };
  const stop = (): void => {
    restarts.cancel();
    cluster.off('listening', onListening);
    cluster.off('exit', onExit);
  };
  cluster.on('listening', onListening);
  cluster.on('exit', onExit);
  return { gaveUp, stop };
}

/** Pending restarts. Not unref'd: with every worker gone, a pending restart keeps the primary alive. */
function createRestartTimers(fork: () => void): { after(delayMs: number): void; cancel(): void } {
  const timers = new Set<NodeJS.Timeout>();
  return {
    after(delayMs) {
      const timer = setTimeout(() => { timers.delete(timer); fork(); }, delayMs);
      timers.add(timer);
    },
    cancel() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/** SIGTERM to every worker (each drains), SIGKILL after `deadlineMs`. */
export async function stopWorkers(deadlineMs: number): Promise<void> {
  await Promise.all(liveWorkers().map((w) => new Promise<void>((resolve) => {
    if (w.isDead()) { resolve(); return; }
    const timer = setTimeout(() => w.process.kill('SIGKILL'), deadlineMs);
    w.once('exit', () => { clearTimeout(timer); resolve(); });
    w.process.kill('SIGTERM');
  })));
}
