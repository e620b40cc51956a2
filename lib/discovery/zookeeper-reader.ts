/**
 * Reads a format's znodes through a client, optionally leaving child, data and existence watches
 * behind. With watches, children's data is cached and re-read only when its own data watch fired,
 * so a change under 1,000 children costs one getChildren and at most one getData, not 1,001 calls;
 * the cache lives as long as the client (its session keeps the watches across reconnections).
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
  /** Forgets cached data, so every child is read again (a new client does this by itself). */
  reset(): void;
}

/** Per-client watch functions: the same function re-arms a watch without duplicating it. */
interface Bound {
  readonly client: ZkClient;
  readonly child: ZkWatcher;
  readonly exists: ZkWatcher;
  /** Data watch of a child of a `children` layout. */
  readonly childData: ZkWatcher;
  /** Data watch of the znode of a `node` layout. */
  readonly nodeData: ZkWatcher;
}

/** A reader's state: the data cache of one parent and the watch functions of the current client. */
interface ReaderState {
  readonly onChange: (() => void) | undefined;
  /**
   * Children of `cacheParent` whose data was read with a data watch that has not fired since, by
   * name. The same object is handed out while it stays valid, so callers can tell unchanged children by identity.
   */
  readonly cache: Map<string, ZnodeChild>;
  cacheParent: string;
  /** getData calls in flight by znode path: a data watch firing meanwhile makes their answer stale. */
  readonly inflight: Map<string, { stale: boolean }>;
  bound: Bound | undefined;
}

/** Creates a reader; `onChange` (when given) is called on every watch event that needs a read, and means "read again". */
export function createZnodeReader(layout: ZnodeLayout, onChange?: () => void): ZnodeReader {
  const state: ReaderState = { onChange, cache: new Map(), cacheParent: '', inflight: new Map(), bound: undefined };
  return {
    paths: layout.kind === 'children' ? layout.paths : [znodePath(layout.parentPath, layout.name)],
    read(client) {
      switch (layout.kind) {
        case 'children': return readChildren(state, client, layout.paths, layout.readData);
        case 'node': return readNode(state, client, layout.parentPath, layout.name);
        default: {
          const never: never = layout;
          throw new Error(`unknown layout ${String(never)}`);
        }
      }
    },
    reset() { state.cache.clear(); },
  };
}

/** Drops what is known of `path` (its data watch fired). */
function forget(state: ReaderState, path: string): void {
  const pending = state.inflight.get(path);
  if (pending) pending.stale = true;
  const prefix = state.cacheParent === '/' ? '/' : `${state.cacheParent}/`;
  if (path.startsWith(prefix)) state.cache.delete(path.slice(prefix.length));
}

/** The watch functions for `client` (made once per client); undefined when nobody listens. */
function bind(state: ReaderState, client: ZkClient): Bound | undefined {
  const onChange = state.onChange;
  if (onChange === undefined) return undefined;
  if (state.bound?.client === client) return state.bound;
  // A new client is a new session: its watches are new, so every child's data is read again.
  state.cache.clear();
  const live = (): boolean => state.bound?.client === client;
  state.bound = {
    client,
    child: () => { if (live()) onChange(); },
    exists: () => { if (live()) onChange(); },
    // A deleted child also fires its parent's child watch, which every read re-arms: a read for
    // the data watch as well would only repeat that one. A data change needs a read of its own.
    childData: (event) => {
      if (!live()) return;
      forget(state, event.path);
      if (event.type !== 'deleted') onChange();
    },
    nodeData: (event) => {
      if (!live()) return;
      forget(state, event.path);
      onChange();
    },
  };
  return state.bound;
}

async function listChildren(client: ZkClient, path: string, w: Bound | undefined): Promise<string[]> {
  const names = await client.getChildren(path, w?.child);
  if (names !== undefined) return names;
  // No such znode: watch for its creation; if it appeared meanwhile, read it after all.
  const stat = await client.exists(path, w?.exists);
  return stat ? (await client.getChildren(path, w?.child)) ?? [] : [];
}

async function readChild(state: ReaderState, client: ZkClient, parentPath: string, name: string, w: Bound | undefined): Promise<ZnodeChild | undefined> {
  const p = znodePath(parentPath, name);
  const pending = { stale: false };
  if (w) state.inflight.set(p, pending);
  try {
    const r = await client.getData(p, w?.childData);
    if (r === undefined) return undefined;
    const child: ZnodeChild = Object.freeze({ name, data: r.data });
    // Keep it only if no data watch fired while we were reading (it would be stale).
    if (w && state.bound === w && !pending.stale && state.cacheParent === parentPath) state.cache.set(name, child);
    return child;
  } finally {
    if (state.inflight.get(p) === pending) state.inflight.delete(p);
  }
}

async function readChildren(state: ReaderState, client: ZkClient, paths: readonly string[], readData: boolean): Promise<ReadResult> {
  const w = bind(state, client);
  let path = paths[0] ?? '/';
  let names: string[] = [];
  for (const candidate of paths) {
    path = candidate;
    names = await listChildren(client, candidate, w);
    if (names.length > 0) break;
  }
  if (!readData) return { parentPath: path, children: names.map((name) => ({ name, data: undefined })) };
  const cache = state.cache;
  if (path !== state.cacheParent) { cache.clear(); state.cacheParent = path; }
  // Unchanged children come from the cache at once; only the others cost a getData.
  const children: ZnodeChild[] = [];
  const reads: Promise<ZnodeChild | undefined>[] = [];
  for (const name of names) {
    const cached = w ? cache.get(name) : undefined;
    if (cached !== undefined) children.push(cached);
    else reads.push(readChild(state, client, path, name, w));
  }
  if (reads.length > 0) for (const c of await Promise.all(reads)) if (c !== undefined) children.push(c);
  if (w && cache.size > names.length) {
    const keep = new Set(names);
    for (const name of cache.keys()) if (!keep.has(name)) cache.delete(name);
  }
  return { parentPath: path, children };
}

async function readNode(state: ReaderState, client: ZkClient, parentPath: string, name: string): Promise<ReadResult> {
  const w = bind(state, client);
  const p = znodePath(parentPath, name);
  let r = await client.getData(p, w?.nodeData);
  if (r === undefined && (await client.exists(p, w?.exists))) r = await client.getData(p, w?.nodeData);
  return { parentPath, children: r === undefined ? [] : [{ name, data: r.data }] };
}
