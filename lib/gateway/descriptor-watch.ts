/** Watches the descriptor folder and calls back (debounced) when an XML file changes. */
import { watch, type FSWatcher } from 'node:fs';
import { childLogger, errFields } from '../core/index.js';

const log = childLogger('gateway');

/** A running folder watch. */
export interface DescriptorWatch {
  close(): void;
}

/**
 * Calls `onChange` once `debounceMs` after the last change of a `*.xml` file in `dir` (editors and
 * atomic writes produce bursts of events). Watch errors are logged at `warn`; SIGHUP still reloads.
 */
export function watchDescriptors(dir: string, debounceMs: number, onChange: () => void): DescriptorWatch {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const fire = (): void => { timer = undefined; onChange(); };
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name !== null && !name.toLowerCase().endsWith('.xml')) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
      timer.unref();
    });
    watcher.on('error', (err) => log.warn('descriptor folder watch failed', { dir, ...errFields(err) }));
  } catch (err) {
    log.warn('cannot watch descriptor folder', { dir, ...errFields(err) });
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
