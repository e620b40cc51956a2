/**
 * Detects a black-holed connection: the library reports SYNC_CONNECTED forever when the TCP
 * connection stays open but nothing flows (notes/zookeeper.md). Every `intervalMs` it issues a cheap
 * `exists('/')`; no answer within `timeoutMs` means the connection is dead.
 */
import type { ZkClient } from './zookeeper-client.js';

/** Options of {@link startWatchdog}. */
export interface WatchdogOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** The client to probe (undefined while not connected: nothing is probed). */
  readonly client: () => ZkClient | undefined;
  /** Called once per probe that got no answer in time. */
  readonly onUnresponsive: (client: ZkClient) => void;
}

/** Starts probing; `stop()` ends it. The timer never keeps the process alive. */
export function startWatchdog(options: WatchdogOptions): { stop(): void } {
  let probing = false;
  const timer = setInterval(() => {
    const c = options.client();
    if (probing || c === undefined) return;
    probing = true;
    let settled = false;
    const verdict = (alive: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      probing = false;
      if (!alive) options.onUnresponsive(c);
    };
    const deadline = setTimeout(() => verdict(false), options.timeoutMs);
    deadline.unref?.();
    // A connection loss is reported by the client's own state events; only silence counts here.
    c.exists('/').then(() => verdict(true), (err: unknown) => verdict((err as { reason?: string }).reason !== 'timeout'));
  }, options.intervalMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
