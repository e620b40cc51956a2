/**
 * One ZooKeeper session per ensemble, kept alive whatever the library does not do by itself
 * (notes/zookeeper.md): a connect timeout, a watchdog that replaces a black-holed client, a new
 * client after expiry or a disconnect longer than the session timeout, capped exponential back-off
 * with jitter between attempts. Sources {@link ZkSession.track} it and re-read on every connection.
 */
import { childLogger, errFields, zkReconnectsTotal, zkSessionConnected, type Logger } from '../core/index.js';
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

/** The mutable state of one session, shared by the helpers below. */
interface SessionCore {
  readonly ensemble: string;
  readonly options: ResolvedOptions;
  readonly log: Logger;
  readonly targets: Set<SessionTarget>;
  state: SessionState;
  since: number;
  /** The client being connected or in use. */
  current: ZkClient | undefined;
  /** `current` while it is connected. */
  connected: ZkClient | undefined;
  reconnects: number;
  /** Clients started since the session was last connected: the back-off grows with them. */
  failures: number;
  lastError: string | undefined;
  closed: boolean;
  disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Ends the back-off sleep of the connect loop early. */
  wake: (() => void) | undefined;
}

/** Creates the session and starts connecting. */
export function createZkSession(ensemble: string, options: ResolvedOptions): ZkSession {
  const core: SessionCore = {
    ensemble, options, log: childLogger('discovery').child({ ensemble }), targets: new Set(),
    state: 'connecting', since: options.clock(), current: undefined, connected: undefined,
    reconnects: 0, failures: 0, lastError: undefined, closed: false, disconnectTimer: undefined, wake: undefined,
  };
  // A session that never connects still shows as a series (0), not as nothing.
  zkSessionConnected.labels(ensemble).set(0);
  const watchdog = startSessionWatchdog(core);
  void connectLoop(core);
  return {
    ensemble,
    state: () => core.state,
    client: () => core.connected,
    status: () => Object.freeze({
      ensemble, state: core.state, sessionId: core.connected?.sessionId(), reconnects: core.reconnects, sources: core.targets.size, since: core.since,
      ...(core.lastError !== undefined ? { lastError: core.lastError } : {}),
    }),
    track(target) {
      core.targets.add(target);
      const c = core.connected;
      if (c) queueMicrotask(() => { if (core.targets.has(target) && core.connected === c) target.onConnected(c); });
      return () => { core.targets.delete(target); };
    },
    async close() {
      if (core.closed) return;
      watchdog.stop();
      await closeSession(core);
    },
  };
}

/** Probes the connected client and replaces it when it stops answering (a black hole). */
function startSessionWatchdog(core: SessionCore): { stop(): void } {
  const timeoutMs = Math.max(200, Math.floor((core.options.sessionTimeoutMs * 2) / 3));
  return startWatchdog({
    intervalMs: Math.max(100, Math.floor(core.options.sessionTimeoutMs / 3)),
    timeoutMs,
    client: () => core.connected,
    onUnresponsive: (c) => {
      if (c !== core.current) return;
      core.log.warn('zookeeper connection unresponsive', { timeoutMs });
      replace(core, 'watchdog');
    },
  });
}

function setState(core: SessionCore, next: SessionState): void {
  if (next === core.state) return;
  const level = next === 'connected' || next === 'connecting' ? 'info' : 'warn';
  core.log.log(level, 'zookeeper session state', { from: core.state, to: next, sessionId: core.current?.sessionId() });
  core.state = next;
  core.since = core.options.clock();
  zkSessionConnected.labels(core.ensemble).set(next === 'connected' ? 1 : 0);
}

function onClientState(core: SessionCore, c: ZkClient, s: ZkClientState): void {
  if (core.closed || c !== core.current) return;
  switch (s) {
    case 'connected':
    case 'read-only':
      clearTimeout(core.disconnectTimer);
      core.connected = c;
      core.failures = 0;
      core.lastError = undefined;
      setState(core, 'connected');
      for (const t of [...core.targets]) t.onConnected(c);
      return;
    case 'disconnected':
      core.connected = undefined;
      setState(core, 'disconnected');
      clearTimeout(core.disconnectTimer);
      // The library reconnects the same session by itself and is told EXPIRED if it comes back late.
      // But a server that lost its data refuses a client that has seen a newer zxid, and the library
      // then loops forever: after twice the session timeout, start over with our own back-off.
      core.disconnectTimer = setTimeout(() => {
        if (c === core.current && core.state !== 'connected') replace(core, 'disconnected');
      }, core.options.sessionTimeoutMs * 2);
      return;
    case 'expired':
    case 'auth-failed':
      core.connected = undefined;
      setState(core, 'expired');
      replace(core, s === 'expired' ? 'expired' : 'auth-failed');
      return;
    default: {
      const never: never = s;
      throw new Error(`unexpected state ${String(never)}`);
    }
  }
}

/** Drops the current client and, unless closed, starts over with a new one. */
function replace(core: SessionCore, cause: ReconnectCause): void {
  const old = core.current;
  core.current = undefined;
  core.connected = undefined;
  clearTimeout(core.disconnectTimer);
  void old?.close(200);
  if (core.closed) return;
  core.reconnects++;
  zkReconnectsTotal.labels(core.ensemble, cause).inc();
  // The first replacement after a working connection starts over at once; a client that is
  // replaced again before it ever connected (a server that expires every new session, refuses
  // its credentials, or answers connects but nothing else) waits the capped back-off first.
  const delayMs = core.failures === 0 ? 0 : backoffDelay(core.failures - 1, core.options.backoff, core.options.random);
  core.failures++;
  core.log.warn('zookeeper client replaced', { cause, reconnects: core.reconnects, delayMs });
  void sleep(core, delayMs).then(() => connectLoop(core));
}

/** Creates clients until one connects (capped exponential back-off between attempts) or the session closes. */
async function connectLoop(core: SessionCore): Promise<void> {
  while (!core.closed) {
    let c: ZkClient;
    try {
      c = createZkClient(core.ensemble, { sessionTimeoutMs: core.options.sessionTimeoutMs, callTimeoutMs: core.options.callTimeoutMs });
    } catch (err) {
      core.lastError = (err as Error).message;
      core.log.error('zookeeper session cannot start', errFields(err));
      setState(core, 'disconnected');
      return;
    }
    core.current = c;
    if (core.state !== 'connecting') setState(core, 'connecting');
    c.onState((s) => onClientState(core, c, s));
    try {
      await c.whenConnected(core.options.connectTimeoutMs);
      return;
    } catch (err) {
      if (core.closed || core.current !== c) return;
      core.current = undefined;
      void c.close(0);
      core.lastError = (err as Error).message;
      await backOff(core, core.failures++, err);
    }
  }
}

/** Counts and logs a failed connect, then sleeps (the sleep ends early when the session closes). */
async function backOff(core: SessionCore, attempt: number, err: unknown): Promise<void> {
  const delayMs = backoffDelay(attempt, core.options.backoff, core.options.random);
  core.reconnects++;
  zkReconnectsTotal.labels(core.ensemble, 'connect-failed').inc();
  core.log.warn('zookeeper connect failed, retrying', { attempt: attempt + 1, delayMs, ...errFields(err) });
  await sleep(core, delayMs);
}

/** Sleeps `delayMs` (none for 0); the sleep ends early when the session closes. */
async function sleep(core: SessionCore, delayMs: number): Promise<void> {
  if (delayMs <= 0 || core.closed) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, delayMs);
    core.wake = () => { clearTimeout(t); resolve(); };
  });
  core.wake = undefined;
}

/** Stops every timer, forgets the targets and closes the client (bounded: the library's close can hang). */
async function closeSession(core: SessionCore): Promise<void> {
  core.closed = true;
  clearTimeout(core.disconnectTimer);
  core.wake?.();
  core.targets.clear();
  const c = core.current;
  core.current = undefined;
  core.connected = undefined;
  zkSessionConnected.remove(core.ensemble);
  await c?.close(500).catch((err: unknown) => core.log.warn('zookeeper close failed', errFields(err)));
  core.log.info('zookeeper session closed');
}
