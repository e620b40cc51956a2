/**
 * One ZooKeeper session per ensemble, kept alive whatever the library does not do by itself
 * (notes/zookeeper.md): a connect timeout, a watchdog that replaces a black-holed client, a new
 * client after expiry or a disconnect longer than the session timeout, capped exponential back-off
 * with jitter between attempts. Sources {@link ZkSession.track} it and re-read on every connection.
 */
import { childLogger, errFields, zkReconnectsTotal, zkSessionConnected } from '../core/index.js';
import { backoffDelay } from './options.js';
import type { ResolvedOptions, SessionState, SessionStatus } from './types.js';
import { createZkClient, type ZkClient, type ZkClientState } from './zookeeper-client.js';
import { startWatchdog } from './zookeeper-watchdog.js';

/** Something that reads through the session: told about every (re)connection. */
export interface SessionTarget {
  /** The session is usable with `client`; a client not seen before means all watches must be set again. */
  onConnected(client: ZkClient): void;
}

/** A shared, self-healing ZooKeeper session. */
export interface ZkSession {
  readonly ensemble: string;
  state(): SessionState;
  status(): SessionStatus;
  /** The client while connected, else undefined. */
  client(): ZkClient | undefined;
  /** Adds a target (told at once if connected); returns the function that removes it. */
  track(target: SessionTarget): () => void;
  close(): Promise<void>;
}

/** Why a new client was created (metric label `cause`). */
type ReconnectCause = 'connect-failed' | 'expired' | 'disconnected' | 'watchdog' | 'auth-failed';

/** Creates the session and starts connecting. */
export function createZkSession(ensemble: string, options: ResolvedOptions): ZkSession {
  const log = childLogger('discovery').child({ ensemble });
  const targets = new Set<SessionTarget>();
  const gauge = zkSessionConnected.labels(ensemble);
  let state: SessionState = 'connecting';
  let since = options.clock();
  let current: ZkClient | undefined;
  let connected: ZkClient | undefined;
  let reconnects = 0;
  let lastError: string | undefined;
  let closed = false;
  let disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  const watchdog = startWatchdog({
    intervalMs: Math.max(100, Math.floor(options.sessionTimeoutMs / 3)),
    timeoutMs: Math.max(200, Math.floor((options.sessionTimeoutMs * 2) / 3)),
    client: () => connected,
    onUnresponsive: (c) => { if (c === current) { log.warn('zookeeper connection unresponsive', { timeoutMs: Math.floor((options.sessionTimeoutMs * 2) / 3) }); replace('watchdog'); } },
  });

  function setState(next: SessionState): void {
    if (next === state) return;
    const level = next === 'connected' || next === 'connecting' ? 'info' : 'warn';
    log.log(level, 'zookeeper session state', { from: state, to: next, sessionId: current?.sessionId() });
    state = next;
    since = options.clock();
    gauge.set(next === 'connected' ? 1 : 0);
  }

  function onClientState(c: ZkClient, s: ZkClientState): void {
    if (closed || c !== current) return;
    switch (s) {
      case 'connected':
      case 'read-only':
        clearTimeout(disconnectTimer);
        connected = c;
        lastError = undefined;
        setState('connected');
        for (const t of [...targets]) t.onConnected(c);
        return;
      case 'disconnected':
        connected = undefined;
        setState('disconnected');
        clearTimeout(disconnectTimer);
        // The library reconnects the same session by itself and is told EXPIRED if it comes back late.
        // But a server that lost its data refuses a client that has seen a newer zxid, and the library
        // then loops forever: after twice the session timeout, start over with our own back-off.
        disconnectTimer = setTimeout(() => { if (c === current && state !== 'connected') replace('disconnected'); }, options.sessionTimeoutMs * 2);
        return;
      case 'expired':
      case 'auth-failed':
        connected = undefined;
        setState('expired');
        replace(s === 'expired' ? 'expired' : 'auth-failed');
        return;
      default: {
        const never: never = s;
        throw new Error(`unexpected state ${String(never)}`);
      }
    }
  }

  function replace(cause: ReconnectCause): void {
    const old = current;
    current = undefined;
    connected = undefined;
    clearTimeout(disconnectTimer);
    void old?.close(200);
    if (closed) return;
    reconnects++;
    zkReconnectsTotal.labels(ensemble, cause).inc();
    log.warn('zookeeper client replaced', { cause, reconnects });
    void connectLoop();
  }

  async function connectLoop(): Promise<void> {
    for (let attempt = 0; !closed; attempt++) {
      let c: ZkClient;
      try {
        c = createZkClient(ensemble, { sessionTimeoutMs: options.sessionTimeoutMs, callTimeoutMs: options.callTimeoutMs });
      } catch (err) {
        lastError = (err as Error).message;
        log.error('zookeeper session cannot start', errFields(err));
        setState('disconnected');
        return;
      }
      current = c;
      if (state !== 'connecting') setState('connecting');
      c.onState((s) => onClientState(c, s));
      try {
        await c.whenConnected(options.connectTimeoutMs);
        return;
      } catch (err) {
        if (closed || current !== c) return;
        current = undefined;
        void c.close(0);
        lastError = (err as Error).message;
        const delayMs = backoffDelay(attempt, options.backoff, options.random);
        reconnects++;
        zkReconnectsTotal.labels(ensemble, 'connect-failed').inc();
        log.warn('zookeeper connect failed, retrying', { attempt: attempt + 1, delayMs, ...errFields(err) });
        await new Promise<void>((resolve) => { const t = setTimeout(resolve, delayMs); wake = () => { clearTimeout(t); resolve(); }; });
      }
    }
  }

  void connectLoop();
  return {
    ensemble,
    state: () => state,
    client: () => connected,
    status: () => Object.freeze({
      ensemble, state, sessionId: connected?.sessionId(), reconnects, sources: targets.size, since,
      ...(lastError !== undefined ? { lastError } : {}),
    }),
    track(target) {
      targets.add(target);
      const c = connected;
      if (c) queueMicrotask(() => { if (targets.has(target) && connected === c) target.onConnected(c); });
      return () => { targets.delete(target); };
    },
    async close() {
      if (closed) return;
      closed = true;
      watchdog.stop();
      clearTimeout(disconnectTimer);
      wake?.();
      targets.clear();
      const c = current;
      current = undefined;
      connected = undefined;
      zkSessionConnected.remove(ensemble);
      await c?.close(500).catch((err: unknown) => log.warn('zookeeper close failed', errFields(err)));
      log.info('zookeeper session closed');
    },
  };
}
