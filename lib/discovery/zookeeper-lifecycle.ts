/**
 * The connection lifecycle of a node-zookeeper-client client: its states in our words, waiting for
 * a session with a timeout, and a close that always completes (notes/zookeeper.md).
 */
import zookeeper from 'node-zookeeper-client';
import { ZkError } from '../core/index.js';
import type { ZkClient, ZkClientState } from './zookeeper-client.js';

/** The library's state as a {@link ZkClientState}; undefined for states we do not act on. */
export function mapState(s: zookeeper.State): ZkClientState | undefined {
  switch (s.code) {
    case zookeeper.State.SYNC_CONNECTED.code: return 'connected';
    case zookeeper.State.DISCONNECTED.code: return 'disconnected';
    case zookeeper.State.EXPIRED.code: return 'expired';
    case zookeeper.State.AUTH_FAILED.code: return 'auth-failed';
    case zookeeper.State.CONNECTED_READ_ONLY.code: return 'read-only';
    default: return undefined;
  }
}

/**
 * Resolves once `api` is connected; rejects with ZkError HAD_ERR_ZK_UNAVAILABLE when the ensemble
 * cannot be reached within `timeoutMs`, on expiry or auth failure, or when the client is closed
 * meanwhile (`cancels` holds one function per pending wait; close() calls them, so no timer outlives it).
 */
export function waitConnected(api: ZkClient, listeners: Set<(state: ZkClientState) => void>, cancels: Set<() => void>, timeoutMs: number): Promise<void> {
  if (api.isConnected()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      listeners.delete(listener);
      cancels.delete(cancel);
      if (err) reject(err); else resolve();
    };
    const listener = (state: ZkClientState): void => {
      if (state === 'connected') finish();
      else if (state === 'expired' || state === 'auth-failed') finish(new ZkError('HAD_ERR_ZK_UNAVAILABLE', `${api.connectString}: session ${state} while connecting`));
    };
    const cancel = (): void => finish(new ZkError('HAD_ERR_ZK_UNAVAILABLE', `${api.connectString}: client closed while connecting`));
    // Not a call that timed out: the ensemble cannot be reached (HAD_ERR_ZK_TIMEOUT is for calls).
    const timer = setTimeout(() => finish(new ZkError('HAD_ERR_ZK_UNAVAILABLE', `${api.connectString}: cannot be reached (not connected within ${timeoutMs} ms)`)), timeoutMs);
    listeners.add(listener);
    cancels.add(cancel);
  });
}

/** Internals of the library's connection manager that a reliable close needs. */
interface ConnectionManagerInternals {
  socket?: { destroy(): void; once(event: 'close', cb: () => void): void; destroyed?: boolean };
  connectTimeoutHandler?: ReturnType<typeof setTimeout> | null;
  onSocketConnected?: () => void;
  connect?: () => void;
}

/**
 * Sends the close request, then destroys the socket after `graceMs` at the latest (at once when not
 * connected); never reconnects again and leaves no timer or socket behind to keep the process alive.
 */
export function abandon(client: zookeeper.Client, graceMs: number): Promise<void> {
  const cm = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  const connected = client.getState() === zookeeper.State.SYNC_CONNECTED;
  try { client.close(); } catch { /* already closing */ }
  if (cm) disarm(cm);
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

/**
 * Stops a closing connection manager from connecting again. A reconnect the library had already
 * scheduled (its spin delay) still opens a socket: that socket is destroyed at once and its connect
 * timer cleared, and the close that follows does not start another round (the library would retry
 * for ever once its state is CLOSED).
 */
function disarm(cm: ConnectionManagerInternals): void {
  cm.connect = () => undefined;
  cm.onSocketConnected = function (this: ConnectionManagerInternals) { this.socket?.destroy(); };
  let socket = cm.socket;
  let connectTimer = cm.connectTimeoutHandler;
  Object.defineProperty(cm, 'socket', {
    configurable: true,
    get: () => socket,
    set: (s: ConnectionManagerInternals['socket']) => { socket = s; try { s?.destroy(); } catch { /* gone */ } },
  });
  Object.defineProperty(cm, 'connectTimeoutHandler', {
    configurable: true,
    get: () => connectTimer,
    set: (t: ConnectionManagerInternals['connectTimeoutHandler']) => { connectTimer = t; if (t) clearTimeout(t); },
  });
}
