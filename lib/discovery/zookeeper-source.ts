/**
 * The backend source of a ZooKeeper-discovered service: level-triggered (every watch event re-reads
 * and re-arms, and the whole list is re-emitted), the last good list kept through outages, and the
 * state dir's list served from the start until ZooKeeper answers (a restart during an outage routes at once). A re-read costs O(changed children):
 * the reader re-reads only children whose data watch fired and the parser re-parses only those.
 */
import { childLogger, errFields, type BackendEntry, type Logger, type ServiceConfig } from '../core/index.js';
import { createIncrementalParser, layoutFor, type IncrementalParser } from './formats/index.js';
import { backoffDelay } from './options.js';
import { createSnapshotHolder, type SnapshotHolder } from './snapshot.js';
import type { StateStore } from './state-store.js';
import type { BackendSource, ResolvedOptions, SourceDescription } from './types.js';
import type { ZkClient } from './zookeeper-client.js';
import { createZnodeReader, type ZnodeReader } from './zookeeper-reader.js';
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

/** The mutable state of one source, shared by the helpers below. */
interface SourceCore {
  readonly p: ZkSourceParams;
  readonly log: Logger;
  readonly holder: SnapshotHolder;
  readonly reader: ZnodeReader;
  readonly parser: IncrementalParser;
  closed: boolean;
  running: boolean;
  /** A read was asked for while one was running: read again when it ends. */
  dirty: boolean;
  attempt: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  lastError: string | undefined;
  warnings: readonly string[];
  /** The parser's warnings array `warnings` was copied from (the parser hands out the same one while nothing changed). */
  parsedWarnings: readonly string[] | undefined;
  /** The backends last given to the state dir. */
  saved: readonly BackendEntry[] | undefined;
}

/**
 * Creates the source and starts reading as soon as the session is connected. With a state dir, the
 * list saved for the same ensemble, namespace and format is read at once and published (origin
 * `state-dir`) in a microtask, so that subscribers added right after creation are told and no
 * request waits for ZooKeeper; ZooKeeper's first answer replaces it (origin `zookeeper`).
 */
export function createZkSource(p: ZkSourceParams): BackendSource {
  const { topology, service, session, options } = p;
  if (service.source.kind !== 'zookeeper') throw new Error('createZkSource: not a ZooKeeper service');
  const { ensemble, namespace, format } = service.source;
  const core: SourceCore = {
    p, log: childLogger('discovery').child({ topology, service: service.name, ensemble }),
    holder: createSnapshotHolder({ topology, service: service.name }, options.clock),
    reader: createZnodeReader(layoutFor(format, namespace), () => trigger(core)),
    parser: createIncrementalParser(format),
    closed: false, running: false, dirty: false, attempt: 0, retryTimer: undefined, lastError: undefined,
    warnings: [], parsedWarnings: undefined, saved: undefined,
  };
  serveSavedList(core);
  const untrack = session.track({
    onConnected() {
      // Read again (level-triggered). Cached child data stays valid on a reconnection of the same
      // session (the client sets its watches again); the reader drops it for a new client by itself.
      clearTimeout(core.retryTimer);
      core.retryTimer = undefined;
      core.attempt = 0;
      if (core.running) core.dirty = true; else trigger(core);
    },
  });

  return {
    current: () => core.holder.current(),
    subscribe: (listener) => core.holder.subscribe(listener),
    describe(): SourceDescription {
      const lastError = core.lastError ?? session.status().lastError;
      return {
        kind: 'zookeeper', ensemble, namespace, format, paths: core.reader.paths, sessionState: session.state(), warnings: core.warnings,
        ...(lastError !== undefined ? { lastError } : {}),
      };
    },
    async close() {
      if (core.closed) return;
      core.closed = true;
      clearTimeout(core.retryTimer);
      untrack();
      core.holder.clear();
      await p.release();
    },
  };
}

/** Publishes the state dir's list unless ZooKeeper has given one first (or the source closed). */
function serveSavedList(core: SourceCore): void {
  const list = core.p.store?.load(core.p.topology, core.p.service);
  if (list === undefined) return;
  queueMicrotask(() => {
    if (core.closed || core.holder.current() !== undefined) return;
    core.log.info('last known list loaded from the state dir', { count: list.length });
    core.holder.publish(list, 'state-dir');
  });
}

function trigger(core: SourceCore): void {
  if (core.closed) return;
  if (core.running) { core.dirty = true; return; }
  void run(core);
}

/** Reads until no watch fired meanwhile; a failure keeps the last list and retries with back-off. */
async function run(core: SourceCore): Promise<void> {
  const { session, options } = core.p;
  core.running = true;
  let client: ZkClient | undefined;
  try {
    do {
      core.dirty = false;
      client = session.client();
      if (client === undefined) return;
      await refresh(core, client);
    } while (core.dirty && !core.closed);
    core.attempt = 0;
  } catch (err) {
    if (core.closed) return;
    core.lastError = (err as Error).message;
    // A read on a client the session has since replaced failed for that reason alone: go again now.
    const delayMs = session.client() !== client ? 0 : backoffDelay(core.attempt++, options.backoff, options.random);
    core.log.warn('zookeeper read failed, keeping the last list', { delayMs, ...errFields(err) });
    clearTimeout(core.retryTimer);
    core.retryTimer = setTimeout(() => { core.retryTimer = undefined; trigger(core); }, delayMs);
  } finally {
    core.running = false;
  }
}

/** One read: parse, log new warnings, publish, and save the list in the background. */
async function refresh(core: SourceCore, client: ZkClient): Promise<void> {
  const read = await core.reader.read(client);
  if (core.closed) return;
  const result = core.parser.parse(read.children, { parentPath: read.parentPath });
  core.lastError = undefined;
  if (!result.changed && core.holder.current()?.origin === 'zookeeper') return;
  if (result.warnings !== core.parsedWarnings) recordWarnings(core, result.warnings);
  core.holder.publish(result.backends, 'zookeeper');
  // Subscribers have the new list by now; the state file is written in the background.
  const { store, topology, service } = core.p;
  if (store && core.holder.current()?.backends !== core.saved) {
    core.saved = core.holder.current()?.backends;
    store.save(topology, service, core.saved ?? []);
  }
}

/** One warning per bad child while it stays bad: only the new ones are logged. */
function recordWarnings(core: SourceCore, warnings: readonly string[]): void {
  const known = new Set(core.warnings);
  for (const w of warnings) if (!known.has(w)) core.log.warn('znode skipped', { code: 'HAD_ERR_ZK_DATA_INVALID', warning: w });
  core.parsedWarnings = warnings;
  core.warnings = Object.freeze([...warnings]);
}
