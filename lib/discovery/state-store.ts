/**
 * `--state-dir`: the last list ZooKeeper gave each service, one JSON file per topology and service,
 * written atomically, so that a restart during a ZooKeeper outage still routes.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { childLogger, errFields, writeFileAtomic, type BackendEntry, type Clock, type ServiceConfig } from '../core/index.js';
import { checkBackendUrl } from './formats/index.js';

/** Reads and writes last known lists. */
export interface StateStore {
  /**
   * The saved list, or undefined when there is none or it was saved for another ensemble, namespace
   * or format. Synchronous (one small file), so that a new source has its list before any request.
   */
  load(topology: string, service: ServiceConfig): readonly BackendEntry[] | undefined;
  /** Saves in the background, never in the caller's turn of the event loop (latest wins; errors are logged, never thrown). */
  save(topology: string, service: ServiceConfig, backends: readonly BackendEntry[]): void;
  /** Resolves when every pending write has finished. */
  flush(): Promise<void>;
}

interface StateFile {
  readonly version: 1;
  readonly topology: string;
  readonly service: string;
  readonly ensemble: string;
  readonly namespace: string | null;
  readonly format: string;
  readonly savedAt: number;
  readonly backends: readonly BackendEntry[];
}

/** `{topology}.{service}.json`, with anything outside [A-Za-z0-9_-] percent-encoded. */
export function stateFileName(topology: string, service: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${safe(topology)}.${safe(service)}.json`;
}

function identity(service: ServiceConfig): { ensemble: string; namespace: string | null; format: string } | undefined {
  return service.source.kind === 'zookeeper'
    ? { ensemble: service.source.ensemble, namespace: service.source.namespace ?? null, format: service.source.format }
    : undefined;
}

function parseStateFile(text: string, want: NonNullable<ReturnType<typeof identity>>): readonly BackendEntry[] | undefined {
  const f = JSON.parse(text) as Partial<StateFile>;
  if (f.version !== 1 || f.ensemble !== want.ensemble || (f.namespace ?? null) !== want.namespace || f.format !== want.format) return undefined;
  if (!Array.isArray(f.backends)) return undefined;
  const out: BackendEntry[] = [];
  for (const b of f.backends) {
    if (typeof b?.url !== 'string' || !checkBackendUrl(b.url).ok) return undefined;
    out.push(typeof b.znode === 'string' ? { url: b.url, znode: b.znode } : { url: b.url });
  }
  return out;
}

/** Creates a store in `dir` (created on first save). */
export function createStateStore(dir: string, clock: Clock): StateStore {
  const log = childLogger('discovery').child({ stateDir: dir });
  /** Per file: the write in progress, and the latest list still to write (serialized only when its turn comes). */
  const queues = new Map<string, { running: Promise<void>; next: StateFile | undefined }>();

  async function drain(file: string): Promise<void> {
    // Let the caller (which has just delivered the snapshot) finish first; a burst of saves then costs one write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const q = queues.get(file);
    while (q?.next !== undefined) {
      const body = q.next;
      q.next = undefined;
      try {
        await mkdir(dir, { recursive: true });
        await writeFileAtomic(file, JSON.stringify(body, null, 2) + '\n');
      } catch (err) {
        log.warn('state dir write failed', { file, ...errFields(err) });
      }
    }
    queues.delete(file);
  }

  return {
    load(topology, service) {
      const want = identity(service);
      if (!want) return undefined;
      const file = join(dir, stateFileName(topology, service.name));
      try {
        return parseStateFile(readFileSync(file, 'utf8'), want);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('state dir file unreadable', { file, ...errFields(err) });
        return undefined;
      }
    },
    save(topology, service, backends) {
      const id = identity(service);
      if (!id) return;
      const file = join(dir, stateFileName(topology, service.name));
      const body: StateFile = { version: 1, topology, service: service.name, ...id, savedAt: clock(), backends };
      const q = queues.get(file);
      if (q) { q.next = body; return; }
      const entry = { running: Promise.resolve(), next: body as StateFile | undefined };
      queues.set(file, entry);
      entry.running = drain(file);
    },
    async flush() {
      await Promise.all([...queues.values()].map((q) => q.running));
    },
  };
}
