/**
 * The backend source of a ZooKeeper-discovered service: level-triggered (every watch event re-reads
 * and re-arms, and the whole list is re-emitted), the last good list kept through outages, and the
 * state dir consulted when ZooKeeper cannot be read at start. A re-read costs O(changed children):
 * the reader re-reads only children whose data watch fired and the parser re-parses only those.
 */
import { childLogger, errFields, type BackendEntry, type ServiceConfig } from '../core/index.js';
import { createIncrementalParser, layoutFor } from './formats/index.js';
import { backoffDelay } from './options.js';
import { createSnapshotHolder } from './snapshot.js';
import type { StateStore } from './state-store.js';
import type { BackendSource, ResolvedOptions, SourceDescription } from './types.js';
import type { ZkClient } from './zookeeper-client.js';
import { createZnodeReader } from './zookeeper-reader.js';
import type { ZkSession } from './zookeeper-session.js';

/** Inputs of {@link createZkSource}. */
export interface ZkSourceParams {
  readonly topology: string;
  readonly service: ServiceConfig;
  readonly session: ZkSession;
  readonly options: ResolvedOptions;
  readonly store: StateStore | undefined;
  /** Called once by close(), after the source stopped using the session. */
  readonly release: () => Promise<void>;
}

/** Creates the source and starts reading as soon as the session is connected. */
export function createZkSource(p: ZkSourceParams): BackendSource {
  const { topology, service, session, options } = p;
  if (service.source.kind !== 'zookeeper') throw new Error('createZkSource: not a ZooKeeper service');
  const { ensemble, namespace, format } = service.source;
  const log = childLogger('discovery').child({ topology, service: service.name, ensemble });
  const holder = createSnapshotHolder({ topology, service: service.name }, options.clock);
  const reader = createZnodeReader(layoutFor(format, namespace), () => trigger());
  const parser = createIncrementalParser(format);
  let closed = false;
  let running = false;
  let dirty = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastError: string | undefined;
  let warnings: readonly string[] = [];
  /** The parser's warnings array `warnings` was copied from (the parser hands out the same one while nothing changed). */
  let parsedWarnings: readonly string[] | undefined;
  let saved: readonly BackendEntry[] | undefined;

  function trigger(): void {
    if (closed) return;
    if (running) { dirty = true; return; }
    void run();
  }

  async function run(): Promise<void> {
    running = true;
    let client: ZkClient | undefined;
    try {
      do {
        dirty = false;
        client = session.client();
        if (client === undefined) return;
        await refresh(client);
      } while (dirty && !closed);
      attempt = 0;
    } catch (err) {
      if (closed) return;
      lastError = (err as Error).message;
      // A read on a client the session has since replaced failed for that reason alone: go again now.
      const delayMs = session.client() !== client ? 0 : backoffDelay(attempt++, options.backoff, options.random);
      log.warn('zookeeper read failed, keeping the last list', { delayMs, ...errFields(err) });
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => { retryTimer = undefined; trigger(); }, delayMs);
    } finally {
      running = false;
    }
  }

  async function refresh(client: ZkClient): Promise<void> {
    const read = await reader.read(client);
    if (closed) return;
    const result = parser.parse(read.children, { parentPath: read.parentPath });
    lastError = undefined;
    if (!result.changed && holder.current()?.origin === 'zookeeper') return;
    if (result.warnings !== parsedWarnings) {
      // One warning per bad child while it stays bad: only the new ones are logged.
      const known = new Set(warnings);
      for (const w of result.warnings) if (!known.has(w)) log.warn('znode skipped', { warning: w });
      parsedWarnings = result.warnings;
      warnings = Object.freeze([...result.warnings]);
    }
    holder.publish(result.backends, 'zookeeper');
    // Subscribers have the new list by now; the state file is written in the background.
    if (p.store && holder.current()?.backends !== saved) {
      saved = holder.current()?.backends;
      p.store.save(topology, service, saved ?? []);
    }
  }

  const untrack = session.track({
    onConnected() {
      // Read again (level-triggered). Cached child data stays valid on a reconnection of the same
      // session (the client sets its watches again); the reader drops it for a new client by itself.
      clearTimeout(retryTimer);
      retryTimer = undefined;
      attempt = 0;
      if (running) dirty = true; else trigger();
    },
  });
  const fallback = startStateFallback(p, () => closed || holder.current() !== undefined, (list) => {
    log.warn('serving the last known list from the state dir', { count: list.length });
    holder.publish(list, 'state-dir');
  });

  return {
    current: () => holder.current(),
    subscribe: (listener) => holder.subscribe(listener),
    describe(): SourceDescription {
      return {
        kind: 'zookeeper', ensemble, namespace, format, paths: reader.paths, sessionState: session.state(), warnings,
        ...(lastError !== undefined ? { lastError } : session.status().lastError !== undefined ? { lastError: session.status().lastError! } : {}),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      fallback.stop();
      untrack();
      holder.clear();
      await p.release();
    },
  };
}

/** After the connect timeout, serves the state dir's list if ZooKeeper has not given one yet. */
function startStateFallback(p: ZkSourceParams, known: () => boolean, serve: (list: readonly BackendEntry[]) => void): { stop(): void } {
  if (!p.store) return { stop: () => undefined };
  let due = false;
  let list: readonly BackendEntry[] | undefined;
  const offer = (): void => { if (due && list !== undefined && !known()) serve(list); };
  const timer = setTimeout(() => { due = true; offer(); }, p.options.connectTimeoutMs);
  void p.store.load(p.topology, p.service).then((l) => { list = l; offer(); });
  return { stop: () => clearTimeout(timer) };
}
