/**
 * The one home of node-zookeeper-client: a promise API where every call has its own timeout, watch
 * events in our own shape, and a `close()` that always completes (the library's close can hang on
 * a server that accepted TCP but never answered; notes/zookeeper.md). State mapping, waiting for a
 * session and the reliable close are in zookeeper-lifecycle.ts.
 */
import zookeeper from 'node-zookeeper-client';
import { ConfigError, ZkError } from '../core/index.js';
import { checkZookeeperEnsemble } from '../descriptor/index.js';
import { ZkCallError, toZkCallError, type ZkCreateMode } from './zookeeper-errors.js';
import { abandon, mapState, waitConnected } from './zookeeper-lifecycle.js';

/** A one-shot watch notification. */
export interface ZkWatchEvent {
  readonly type: 'created' | 'deleted' | 'data' | 'children';
  readonly path: string;
}
/** Watch callback; pass the same function again to re-arm without duplicating it. */
export type ZkWatcher = (event: ZkWatchEvent) => void;
/** Connection states the library reports. */
export type ZkClientState = 'connected' | 'disconnected' | 'expired' | 'auth-failed' | 'read-only';

/** One ZooKeeper client (one session at a time) with promise calls. */
export interface ZkClient {
  readonly connectString: string;
  /** Subscribes to state changes; returns an unsubscribe function. */
  onState(listener: (state: ZkClientState) => void): () => void;
  /**
   * Resolves once connected; rejects with ZkError HAD_ERR_ZK_UNAVAILABLE when not connected within
   * `timeoutMs`, on expiry or auth failure, or when the client is closed meanwhile.
   */
  whenConnected(timeoutMs: number): Promise<void>;
  isConnected(): boolean;
  /** Hex session id, undefined before the first session. */
  sessionId(): string | undefined;
  /** Children names, or undefined when the znode does not exist. */
  getChildren(path: string, watcher?: ZkWatcher): Promise<string[] | undefined>;
  /** `{data}` (undefined when empty), or undefined when the znode does not exist. */
  getData(path: string, watcher?: ZkWatcher): Promise<{ readonly data: Buffer | undefined } | undefined>;
  /** `{ephemeralOwner}` (hex, all zeros for persistent nodes), or undefined when the znode does not exist. */
  exists(path: string, watcher?: ZkWatcher): Promise<{ readonly ephemeralOwner: string } | undefined>;
  /** Creates a znode; resolves to its path (with the sequence number). */
  create(path: string, data: Buffer, mode: ZkCreateMode): Promise<string>;
  /** Creates `path` and missing parents as persistent znodes. */
  mkdirp(path: string): Promise<void>;
  setData(path: string, data: Buffer): Promise<void>;
  /** Deletes a znode; a missing one is not an error. */
  remove(path: string): Promise<void>;
  /** Closes the session (ephemeral znodes go at once); always completes within ~`graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Options of {@link createZkClient}. */
export interface ZkClientOptions {
  readonly sessionTimeoutMs: number;
  readonly callTimeoutMs: number;
}

const EVENT_TYPES: Record<number, ZkWatchEvent['type']> = {
  [zookeeper.Event.NODE_CREATED]: 'created', [zookeeper.Event.NODE_DELETED]: 'deleted',
  [zookeeper.Event.NODE_DATA_CHANGED]: 'data', [zookeeper.Event.NODE_CHILDREN_CHANGED]: 'children',
};
const MODES: Record<ZkCreateMode, number> = {
  'persistent': zookeeper.CreateMode.PERSISTENT, 'ephemeral': zookeeper.CreateMode.EPHEMERAL,
  'ephemeral-sequential': zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, 'persistent-sequential': zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
};

type Callback = (error: unknown, ...results: unknown[]) => void;

/**
 * Throws ConfigError (HAD_ERR_CONFIG_INVALID) unless `s` is `host[:port][,host[:port]...][/chroot]`
 * with ports 1..65535 (the descriptor's own check: one validator). The library hands the port to
 * net.connect from a timer, where a bad one would be an uncaught exception.
 */
export function checkConnectString(s: string): void {
  const problem = checkZookeeperEnsemble(s);
  if (problem !== undefined) throw new ConfigError(`bad ZooKeeper connect string "${s}": ${problem}`);
}

/** One client's state, shared by the functions below. */
interface ClientState {
  readonly lib: zookeeper.Client;
  readonly connectString: string;
  readonly callTimeoutMs: number;
  readonly listeners: Set<(state: ZkClientState) => void>;
  /** Pending calls and whenConnected waits: close() ends them, so that no timer of theirs outlives the client. */
  readonly pending: Set<() => void>;
  readonly wrapped: WeakMap<ZkWatcher, (event: zookeeper.Event) => void>;
  closed: boolean;
}


/**
 * Creates a client and starts connecting (it never fails by itself: use {@link ZkClient.whenConnected}).
 * Throws ConfigError (HAD_ERR_CONFIG_INVALID) for a connect string that is not valid (see
 * {@link checkConnectString}) or that the library cannot parse.
 */
export function createZkClient(connectString: string, options: ZkClientOptions): ZkClient {
  checkConnectString(connectString);
  let lib: zookeeper.Client;
  try {
    lib = zookeeper.createClient(connectString, { sessionTimeout: options.sessionTimeoutMs, spinDelay: 250, retries: 0 });
  } catch (err) {
    throw new ConfigError(`bad ZooKeeper connect string "${connectString}": ${(err as Error).message}`, { cause: err });
  }
  const st: ClientState = {
    lib, connectString, callTimeoutMs: options.callTimeoutMs, listeners: new Set(), pending: new Set(), wrapped: new WeakMap(), closed: false,
  };
  lib.on('state', (s: zookeeper.State) => {
    const state = mapState(s);
    if (state !== undefined && !st.closed) for (const l of [...st.listeners]) l(state);
  });
  lib.connect();
  return clientApi(st);
}

function clientApi(st: ClientState): ZkClient {
  const { lib, connectString, listeners } = st;
  const api: ZkClient = {
    connectString,
    onState(listener) { listeners.add(listener); return () => { listeners.delete(listener); }; },
    whenConnected: (timeoutMs) => st.closed ? Promise.reject(new ZkError('HAD_ERR_ZK_UNAVAILABLE', `${connectString}: client closed`)) : waitConnected(api, listeners, st.pending, timeoutMs),
    isConnected: () => !st.closed && lib.getState() === zookeeper.State.SYNC_CONNECTED,
    sessionId() {
      const hex = lib.getSessionId().toString('hex');
      return /^0+$/.test(hex) ? undefined : hex;
    },
    getChildren: (path, watcher) => getChildren(st, path, watcher),
    getData: (path, watcher) => getData(st, path, watcher),
    exists: (path, watcher) => call(st, 'exists', path, (cb) => (watcher ? lib.exists(path, libWatcher(st, watcher), cb) : lib.exists(path, cb)),
      (res) => { const stat = res[0] as zookeeper.Stat | null | undefined; return stat ? { ephemeralOwner: stat.ephemeralOwner.toString('hex') } : undefined; }),
    create: (path, data, mode) => call(st, 'create', path, (cb) => lib.create(path, data, MODES[mode], cb), (res) => res[0] as string),
    mkdirp: (path) => call(st, 'mkdirp', path, (cb) => lib.mkdirp(path, cb), () => undefined),
    setData: (path, data) => call(st, 'setData', path, (cb) => lib.setData(path, data, cb), () => undefined),
    // A znode that is already gone is what remove() wanted.
    remove: (path) => call(st, 'remove', path, (cb) => lib.remove(path, cb), () => undefined, () => undefined),
    close(graceMs = 1000) {
      if (st.closed) return Promise.resolve();
      st.closed = true;
      for (const cancel of [...st.pending]) cancel();
      listeners.clear();
      return abandon(lib, graceMs);
    },
  };
  return api;
}

function getChildren(st: ClientState, path: string, watcher?: ZkWatcher): Promise<string[] | undefined> {
  const lib = st.lib;
  return call<string[] | undefined>(st, 'getChildren', path,
    (cb) => (watcher ? lib.getChildren(path, libWatcher(st, watcher), cb) : lib.getChildren(path, cb)), (res) => res[0] as string[], () => undefined);
}

function getData(st: ClientState, path: string, watcher?: ZkWatcher): Promise<{ readonly data: Buffer | undefined } | undefined> {
  const lib = st.lib;
  return call<{ readonly data: Buffer | undefined } | undefined>(st, 'getData', path,
    (cb) => (watcher ? lib.getData(path, libWatcher(st, watcher), cb) : lib.getData(path, cb)),
    (res) => ({ data: Buffer.isBuffer(res[0]) && res[0].length > 0 ? res[0] : undefined }), () => undefined);
}

/** The library-side watcher of `watcher` (one per watcher, so re-arming does not duplicate it). */
function libWatcher(st: ClientState, watcher: ZkWatcher): (event: zookeeper.Event) => void {
  let w = st.wrapped.get(watcher);
  if (!w) {
    w = (event) => {
      const type = EVENT_TYPES[event.getType()];
      if (type !== undefined && !st.closed) watcher({ type, path: event.getPath() });
    };
    st.wrapped.set(watcher, w);
  }
  return w;
}

/** One library call with its own timeout; `onNoNode` (when given) answers for a missing znode instead of the error. */
function call<T>(st: ClientState, op: string, path: string, run: (cb: Callback) => void, map: (results: unknown[]) => T, onNoNode?: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (st.closed) { reject(new ZkCallError('connection-loss', `${op} ${path}: client closed`)); return; }
    let done = false;
    const settle = (outcome: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      st.pending.delete(cancel);
      outcome();
    };
    const timer = setTimeout(() => settle(() => reject(new ZkCallError('timeout', `${op} ${path}: no answer within ${st.callTimeoutMs} ms`))), st.callTimeoutMs);
    const cancel = (): void => settle(() => reject(new ZkCallError('connection-loss', `${op} ${path}: client closed`)));
    st.pending.add(cancel);
    const cb: Callback = (error, ...results) => settle(() => {
      const err = error ? toZkCallError(op, path, error) : undefined;
      if (err?.reason === 'no-node' && onNoNode !== undefined) resolve(onNoNode());
      else if (err !== undefined) reject(err);
      else resolve(map(results));
    });
    try { run(cb); } catch (e) { cb(e); }
  });
}
