/** The backend source of a service with a static URL list (the descriptor's `<url>`s or topology URLs). */
import type { Clock } from '../core/index.js';
import { makeSnapshot } from './snapshot.js';
import type { BackendSource } from './types.js';

/** A source whose snapshot (URLs in descriptor order) exists at once and never changes. */
export function createStaticSource(urls: readonly string[], clock: Clock): BackendSource {
  const snapshot = makeSnapshot(urls.map((url) => ({ url })), 'static', clock());
  return {
    current: () => snapshot,
    subscribe: () => () => undefined,
    describe: () => ({ kind: 'static' }),
    close: async () => undefined,
  };
}
