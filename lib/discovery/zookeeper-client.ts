/**
 * The one home of node-zookeeper-client: a promise API where every call has its own timeout, watch
 * events in our own shape, and a `close()` that always completes (the library's close can hang on
 * a server that accepted TCP but never answered; notes/zookeeper.md).
 */
import zookeeper from 'node-zookeeper-client';
import { ConfigError, ZkError } from '../core/index.js';
import { ZkCallError, toZkCallError, type ZkCreateMode } from './zookeeper-errors.js';

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
  /** Resolves once connected; rejects with ZkError HAD_ERR_ZK_TIMEOUT after `timeoutMs` or on expiry/auth failure. */
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

function mapState(s: zookeeper.State): ZkClientState | undefined {
  switch (s.code) {
    case zookeeper.State.SYNC_CONNECTED.code: return 'connected';
    case zookeeper.State.DISCONNECTED.code: return 'disconnected';
    case zookeeper.State.EXPIRED.code: return 'expired';
    case zookeeper.State.AUTH_FAILED.code: return 'auth-failed';
    case zookeeper.State.CONNECTED_READ_ONLY.code: return 'read-only';
    default: return undefined;
  }
}

type Callback = (error: unknown, ...results: unknown[]) => void;

/** Throws ConfigError (HAD_ERR_CONFIG_INVALID) unless `s` is `host[:port][,host[:port]...][/chroot]`. */
export function checkConnectString(s: string): void {
  const slash = s.indexOf('/');
  const hosts = slash < 0 ? s : s.slice(0, slash);
  const chroot = slash < 0 ? '' : s.slice(slash);
  const hostOk = (h: string): boolean => /^[A-Za-z0-9_.-]+(:\d{1,5})?$/.test(h.trim());
  if (hosts.trim() === '' || !hosts.split(',').every(hostOk) || /\/\/|\s/.test(chroot)) {
    throw new ConfigError(`bad ZooKeeper connect string "${s}": expected host:port[,host:port...][/chroot]`);
  }
}

/**
 * Creates a client and starts connecting (it never fails by itself: use {@link ZkClient.whenConnected}).
 * Throws ConfigError (HAD_ERR_CONFIG_INVALID) for a connect string the library cannot parse.
 */
export function createZkClient(connectString: string, options: ZkClientOptions): ZkClient {
  let client: zookeeper.Client;
  try {
    client = zookeeper.createClient(connectString, { sessionTimeout: options.sessionTimeoutMs, spinDelay: 250, retries: 0 });
  } catch (err) {
    throw new ConfigError(`bad ZooKeeper connect string "${connectString}": ${(err as Error).message}`, { cause: err });
  }
  const listeners = new Set<(state: ZkClientState) => void>();
  const wrapped = new WeakMap<ZkWatcher, (event: zookeeper.Event) => void>();
  let closed = false;
  client.on('state', (s: zookeeper.State) => {
    const state = mapState(s);
    if (state !== undefined && !closed) for (const l of [...listeners]) l(state);
  });
  client.connect();

  function libWatcher(watcher: ZkWatcher): (event: zookeeper.Event) => void {
    let w = wrapped.get(watcher);
    if (!w) {
      w = (event) => {
        const type = EVENT_TYPES[event.getType()];
        if (type !== undefined && !closed) watcher({ type, path: event.getPath() });
      };
      wrapped.set(watcher, w);
    }
    return w;
  }

  function call<T>(op: string, path: string, run: (cb: Callback) => void, map: (results: unknown[]) => T, absent?: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (closed) { reject(new ZkCallError('connection-loss', `${op} ${path}: client closed`)); return; }
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new ZkCallError('timeout', `${op} ${path}: no answer within ${options.callTimeoutMs} ms`));
      }, options.callTimeoutMs);
      const cb: Callback = (error, ...results) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const err = error ? toZkCallError(op, path, error) : undefined;
        if (err?.reason === 'no-node' && absent !== undefined) resolve(absent);
        else if (err !== undefined) reject(err);
        else resolve(map(results));
      };
      try { run(cb); } catch (e) { cb(e); }
    });
  }

  const NONE = Symbol('none');
  const api = {
    connectString,
    onState(listener: (state: ZkClientState) => void) { listeners.add(listener); return () => { listeners.delete(listener); }; },
    whenConnected: (timeoutMs: number) => waitConnected(api, listeners, timeoutMs),
    isConnected: () => !closed && client.getState() === zookeeper.State.SYNC_CONNECTED,
    sessionId() {
      const hex = client.getSessionId().toString('hex');
      return /^0+$/.test(hex) ? undefined : hex;
    },
    async getChildren(path: string, watcher?: ZkWatcher) {
      const r = await call<string[] | typeof NONE>('getChildren', path, (cb) => (watcher ? client.getChildren(path, libWatcher(watcher), cb) : client.getChildren(path, cb)), (res) => res[0] as string[], NONE);
      return r === NONE ? undefined : r;
    },
    async getData(path: string, watcher?: ZkWatcher) {
      const r = await call<Buffer | undefined | typeof NONE>('getData', path, (cb) => (watcher ? client.getData(path, libWatcher(watcher), cb) : client.getData(path, cb)),
        (res) => (Buffer.isBuffer(res[0]) && res[0].length > 0 ? res[0] : undefined), NONE);
      return r === NONE ? undefined : { data: r };
    },
    exists: (path: string, watcher?: ZkWatcher) => call('exists', path, (cb) => (watcher ? client.exists(path, libWatcher(watcher), cb) : client.exists(path, cb)),
      (res) => { const stat = res[0] as zookeeper.Stat | null | undefined; return stat ? { ephemeralOwner: stat.ephemeralOwner.toString('hex') } : undefined; }),
    create: (path: string, data: Buffer, mode: ZkCreateMode) => call('create', path, (cb) => client.create(path, data, MODES[mode], cb), (res) => res[0] as string),
    mkdirp: (path: string) => call('mkdirp', path, (cb) => client.mkdirp(path, cb), () => undefined),
    setData: (path: string, data: Buffer) => call('setData', path, (cb) => client.setData(path, data, cb), () => undefined),
    remove: (path: string) => call('remove', path, (cb) => client.remove(path, cb), () => undefined, undefined),
    close(graceMs = 1000) {
      if (closed) return Promise.resolve();
      closed = true;
      listeners.clear();
      return abandon(client, graceMs);
    },
  };
  return api;
}

function waitConnected(api: ZkClient, listeners: Set<(state: ZkClientState) => void>, timeoutMs: number): Promise<void> {
  if (api.isConnected()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const finish = (err?: Error): void => { clearTimeout(timer); listeners.delete(listener); if (err) reject(err); else resolve(); };
    const listener = (state: ZkClientState): void => {
      if (state === 'connected') finish();
      else if (state === 'expired' || state === 'auth-failed') finish(new ZkError('HAD_ERR_ZK_UNAVAILABLE', `${api.connectString}: session ${state} while connecting`));
    };
    const timer = setTimeout(() => finish(new ZkError('HAD_ERR_ZK_TIMEOUT', `${api.connectString}: not connected within ${timeoutMs} ms`)), timeoutMs);
    listeners.add(listener);
  });
}

/** Internals of the library's connection manager that a reliable close needs. */
interface ConnectionManagerInternals {
  socket?: { destroy(): void; once(event: 'close', cb: () => void): void; destroyed?: boolean };
  connectTimeoutHandler?: ReturnType<typeof setTimeout> | null;
  onSocketConnected?: () => void;
}

/** Sends the close request, then destroys the socket after `graceMs` at the latest; never reconnects again. */
function abandon(client: zookeeper.Client, graceMs: number): Promise<void> {
  const cm = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  const connected = client.getState() === zookeeper.State.SYNC_CONNECTED;
  try { client.close(); } catch { /* already closing */ }
  if (cm) cm.onSocketConnected = function (this: ConnectionManagerInternals) { this.socket?.destroy(); };
  return new Promise<void>((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      if (cm?.connectTimeoutHandler) clearTimeout(cm.connectTimeoutHandler);
      try { cm?.socket?.destroy(); } catch { /* gone */ }
      client.removeAllListeners();
      resolve();
    };
    const timer = setTimeout(finish, connected ? graceMs : 0);
    if (connected && cm?.socket && !cm.socket.destroyed) cm.socket.once('close', finish);
  });
}
