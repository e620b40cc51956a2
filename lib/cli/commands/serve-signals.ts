/**
 * Signal handling of `serve`: SIGHUP reloads, SIGTERM/SIGINT close gracefully, then exit 0. A
 * fatal condition (`failed`) closes the same way and then throws its error (the CLI exits 1).
 */
import { childLogger, errFields, type HaError } from '../../core/index.js';

const log = childLogger('gateway');

/** What a running server does on signals. */
export interface SignalHandlers {
  reload(): Promise<unknown>;
  close(): Promise<void>;
  /** A second SIGTERM/SIGINT while closing exits at once with status 1 (the primary); workers ignore it. */
  readonly forceOnSecondSignal: boolean;
  /** Resolves when the server cannot go on (e.g. workers keep failing at start-up). */
  readonly failed?: Promise<HaError>;
}

/**
 * Resolves with the exit status once a SIGTERM/SIGINT-triggered close has finished; rejects with
 * the error of `failed` once the close it triggers has finished.
 */
export function runUntilSignalled(h: SignalHandlers): Promise<number> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onHup = (): void => {
      log.info('reload requested', { signal: 'SIGHUP' });
      h.reload().catch((err: unknown) => log.error('reload failed', errFields(err)));
    };
    const stop = (then: () => void): void => {
      stopping = true;
      h.close().then(then, (err: unknown) => { log.error('shutdown failed', errFields(err)); finish(); resolve(1); });
    };
    const onStop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        if (!h.forceOnSecondSignal) return;
        log.warn('second signal, exiting without draining', { signal });
        process.exit(1);
      }
      log.info('shutting down', { signal });
      stop(() => { finish(); resolve(0); });
    };
    const finish = (): void => {
      process.off('SIGHUP', onHup);
      process.off('SIGTERM', onStop);
      process.off('SIGINT', onStop);
    };
    process.on('SIGHUP', onHup);
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
    void h.failed?.then((err) => {
      if (stopping) return;
      log.info('shutting down', { reason: err.code });
      stop(() => { finish(); reject(err); });
    });
  });
}
