/** ZooKeeper call failures in our error catalogue (HAD_ERR_ZK_*), with the library's reason kept as a union. */
import zookeeper from 'node-zookeeper-client';
import { ZkError } from '../core/index.js';

/** How a znode is created. */
export type ZkCreateMode = 'persistent' | 'ephemeral' | 'ephemeral-sequential' | 'persistent-sequential';

/** Why a call failed; branch on it (never on message text). */
export type ZkCallReason = 'no-node' | 'node-exists' | 'not-empty' | 'timeout' | 'connection-loss' | 'session-expired' | 'other';

/** A failed ZooKeeper call: code HAD_ERR_ZK_TIMEOUT for timeouts, else HAD_ERR_ZK_UNAVAILABLE. */
export class ZkCallError extends ZkError {
  readonly reason: ZkCallReason;
  constructor(reason: ZkCallReason, message: string, options?: ErrorOptions) {
    super(reason === 'timeout' ? 'HAD_ERR_ZK_TIMEOUT' : 'HAD_ERR_ZK_UNAVAILABLE', message, options);
    this.name = 'ZkCallError';
    this.reason = reason;
  }
}

const REASONS = new Map<number, ZkCallReason>([
  [zookeeper.Exception.NO_NODE, 'no-node'], [zookeeper.Exception.NODE_EXISTS, 'node-exists'],
  [zookeeper.Exception.NOT_EMPTY, 'not-empty'], [zookeeper.Exception.CONNECTION_LOSS, 'connection-loss'],
  [zookeeper.Exception.SESSION_EXPIRED, 'session-expired'], [zookeeper.Exception.OPERATION_TIMEOUT, 'timeout'],
]);

/** Wraps whatever the library passed to a callback (or threw) as a {@link ZkCallError}, keeping it as `cause`. */
export function toZkCallError(op: string, path: string, error: unknown): ZkCallError {
  const code = typeof (error as { getCode?: unknown })?.getCode === 'function' ? (error as zookeeper.Exception).getCode() : undefined;
  const name = code !== undefined ? (error as zookeeper.Exception).getName() : (error as Error)?.message ?? String(error);
  return new ZkCallError((code !== undefined ? REASONS.get(code) : undefined) ?? 'other', `${op} ${path}: ${name}`, { cause: error });
}

/** True when `err` is a {@link ZkCallError} with the given reason. */
export function isZkReason(err: unknown, reason: ZkCallReason): boolean {
  return err instanceof ZkCallError && err.reason === reason;
}
