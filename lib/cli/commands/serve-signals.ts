/** Signal handling of `serve`: SIGHUP reloads, SIGTERM/SIGINT close gracefully, then exit 0. */
import { childLogger, errFields } from '../../core/index.js';

const log = childLogger('gateway');

/** What a running server does on signals. */
export interface SignalHandlers {
  reload(): Promise<unknown>;
  close(): Promise<void>;
  /** A second SIGTERM/SIGINT while closing exits at once with status 1 (the primary); workers ignore it. */
  readonly forceOnSecondSignal: boolean;
}

/** Resolves with the exit status once a SIGTERM/SIGINT-triggered close has finished. */
export function runUntilSignalled(h: SignalHandlers): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onHup = (): void => {
      log.info('reload requested', { signal: 'SIGHUP' });
      h.reload().catch((err: unknown) => log.error('reload failed', errFields(err)));
    };
    const onStop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        if (!h.forceOnSecondSignal) return;
        log.warn('second signal, exiting without draining', { signal });
        process.exit(1);
      }
      stopping = true;
      log.info('shutting down', { signal });
      h.close().then(() => finish(0), (err: unknown) => { log.error('shutdown failed', errFields(err)); finish(1); });
    };
    const finish = (code: number): void => {
      process.off('SIGHUP', onHup);
      process.off('SIGTERM', onStop);
      process.off('SIGINT', onStop);
      resolve(code);
    };
    process.on('SIGHUP', onHup);
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
  });
}
