/**
 * Discovery: where backends come from. Sources hand out whole, immutable snapshots and tell
 * subscribers when a list changes; nothing else in the project knows about ZooKeeper.
 */
export type {
  BackendSource, BackoffOptions, Discovery, DiscoveryOptions, SessionState, SessionStatus, SourceDescription,
} from './types.js';
export { createDiscovery } from './discovery.js';
export { resolveOnce, type ResolvedList } from './resolve-once.js';
export { createRegistration, type Registration, type RegistrationOptions } from './zookeeper-registration.js';
export { createZkClient, type ZkClient, type ZkClientOptions, type ZkWatchEvent, type ZkWatcher } from './zookeeper-client.js';
export { ZkCallError, type ZkCallReason, type ZkCreateMode } from './zookeeper-errors.js';
export { parseZnodes, layoutFor, checkBackendUrl, HIVE_DEFAULT_NAMESPACE, type ZnodeChild, type FormatResult, type ZnodeLayout } from './formats/index.js';
export { registrationFor, type RegistrationNode } from './formats/registration.js';
export { makeSnapshot } from './snapshot.js';
export { DEFAULT_SESSION_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_BACKOFF } from './options.js';
