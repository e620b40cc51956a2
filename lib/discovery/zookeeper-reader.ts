/**
 * Reads a format's znodes through a client, optionally leaving child, data and existence watches
 * behind. With watches, children's data is cached and re-read only when its own data watch fired,
 * so a change under 1,000 children costs one getChildren and one getData, not 1,001 calls.
 */
import type { ZnodeChild, ZnodeLayout } from './formats/index.js';
import { znodePath } from './formats/index.js';
import type { ZkClient, ZkWatcher } from './zookeeper-client.js';

/** What was read: the children (with data when the format reads data) of `parentPath`. */
export interface ReadResult {
  readonly parentPath: string;
  readonly children: readonly ZnodeChild[];
}

/** Reads one layout; `read` may be called concurrently only for different clients. */
export interface ZnodeReader {
  /** The znode paths this reader looks at. */
  readonly paths: readonly string[];
  read(client: ZkClient): Promise<ReadResult>;
  /** Forgets cached data (after a reconnect, so every child is read again). */
  reset(): void;
}

/** Per-client watch functions: the same function re-arms a watch without duplicating it. */
interface Bound {
  readonly client: ZkClient;
  readonly child: ZkWatcher;
  readonly data: ZkWatcher;
  readonly exists: ZkWatcher;
}

/** Creates a reader; `onChange` (when given) is called on every watch event and means "read again". */
export function createZnodeReader(layout: ZnodeLayout, onChange?: () => void): ZnodeReader {
  const cache = new Map<string, Buffer | undefined>();
  const epochs = new Map<string, number>();
  let bound: Bound | undefined;

  function bind(client: ZkClient): Bound | undefined {
    if (onChange === undefined) return undefined;
    if (bound?.client === client) return bound;
    cache.clear();
    const live = (): boolean => bound?.client === client;
    bound = {
      client,
      child: () => { if (live()) onChange(); },
      exists: () => { if (live()) onChange(); },
      data: (event) => {
        if (!live()) return;
        epochs.set(event.path, (epochs.get(event.path) ?? 0) + 1);
        cache.delete(event.path);
        onChange();
      },
    };
    return bound;
  }

  async function listChildren(client: ZkClient, path: string, w: Bound | undefined): Promise<string[]> {
    const names = await client.getChildren(path, w?.child);
    if (names !== undefined) return names;
    // No such znode: watch for its creation; if it appeared meanwhile, read it after all.
    const stat = await client.exists(path, w?.exists);
    return stat ? (await client.getChildren(path, w?.child)) ?? [] : [];
  }

  async function readChild(client: ZkClient, path: string, name: string, w: Bound | undefined): Promise<ZnodeChild | undefined> {
    const p = znodePath(path, name);
    if (w && cache.has(p)) return { name, data: cache.get(p) };
    const epoch = epochs.get(p) ?? 0;
    const r = await client.getData(p, w?.data);
    if (r === undefined) return undefined;
    // Keep it only if no data watch fired while we were reading (it would be stale).
    if (w && (epochs.get(p) ?? 0) === epoch) cache.set(p, r.data);
    return { name, data: r.data };
  }

  async function readChildren(client: ZkClient, paths: readonly string[], readData: boolean): Promise<ReadResult> {
    const w = bind(client);
    let path = paths[0] ?? '/';
    let names: string[] = [];
    for (const candidate of paths) {
      path = candidate;
      names = await listChildren(client, candidate, w);
      if (names.length > 0) break;
    }
    if (!readData) return { parentPath: path, children: names.map((name) => ({ name, data: undefined })) };
    const read = await Promise.all(names.map((name) => readChild(client, path, name, w)));
    if (w) {
      const keep = new Set(names.map((n) => znodePath(path, n)));
      for (const key of cache.keys()) if (!keep.has(key)) cache.delete(key);
    }
    return { parentPath: path, children: read.filter((c): c is ZnodeChild => c !== undefined) };
  }

  async function readNode(client: ZkClient, parentPath: string, name: string): Promise<ReadResult> {
    const w = bind(client);
    const p = znodePath(parentPath, name);
    let r = await client.getData(p, w?.data);
    if (r === undefined && (await client.exists(p, w?.exists))) r = await client.getData(p, w?.data);
    return { parentPath, children: r === undefined ? [] : [{ name, data: r.data }] };
  }

  return {
    paths: layout.kind === 'children' ? layout.paths : [znodePath(layout.parentPath, layout.name)],
    read(client) {
      switch (layout.kind) {
        case 'children': return readChildren(client, layout.paths, layout.readData);
        case 'node': return readNode(client, layout.parentPath, layout.name);
        default: {
          const never: never = layout;
          throw new Error(`unknown layout ${String(never)}`);
        }
      }
    },
    reset() { cache.clear(); },
  };
}
