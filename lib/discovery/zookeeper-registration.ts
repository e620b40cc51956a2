/**
 * `hadispatch register`: keeps one ephemeral znode registered in a format's layout, re-creating it
 * after a session expiry, and removes it on close.
 */
import { childLogger, errFields, type Logger, type ZookeeperFormat } from '../core/index.js';
import { znodePath } from './formats/index.js';
import { registrationFor, type RegistrationNode } from './formats/registration.js';
import { backoffDelay, resolveOptions } from './options.js';
import type { DiscoveryOptions, ResolvedOptions } from './types.js';
import { checkConnectString, createZkClient, type ZkClient } from './zookeeper-client.js';
import { isZkReason } from './zookeeper-errors.js';
import { createZkSession, type ZkSession } from './zookeeper-session.js';

/** What to register. */
export interface RegistrationOptions extends DiscoveryOptions {
  readonly ensemble: string;
  readonly namespace: string | undefined;
  readonly format: ZookeeperFormat;
  readonly url: string;
  /** Replaces the derived znode data verbatim. */
  readonly data?: string | undefined;
}

/** A live registration. */
export interface Registration {
  /** Resolves with the znode path once the znode first exists. */
  readonly ready: Promise<string>;
  /** The current znode path (it changes when a sequential znode is re-created after expiry). */
  path(): string | undefined;
  /** Deletes the znode and closes the session. */
  close(): Promise<void>;
}

/**
 * Registers `url` in `format`. Throws ConfigError (HAD_ERR_CONFIG_INVALID) at once for a bad connect
 * string or a URL the format cannot express; ZooKeeper trouble is retried with back-off, never thrown.
 */
export function createRegistration(options: RegistrationOptions): Registration {
  const opts = resolveOptions(options);
  checkConnectString(options.ensemble);
  const node = registrationFor({ format: options.format, namespace: options.namespace, url: options.url, data: options.data });
  const log = childLogger('discovery').child({ ensemble: options.ensemble, znode: znodePath(node.parentPath, node.name) });
  let session: ZkSession | undefined;
  let closed = false;
  let resolveReady!: (p: string) => void;
  const ready = new Promise<string>((resolve) => { resolveReady = resolve; });
  const keeper = createNodeKeeper(node, opts, log, () => session?.client(), (path) => resolveReady(path));

  const chroot = ensureChroot(options.ensemble, opts);
  void chroot.done.then(() => {
    if (closed) return;
    session = createZkSession(options.ensemble, opts);
    session.track({ onConnected: (client) => keeper.ensure(client) });
  });

  return {
    ready,
    path: () => keeper.path(),
    async close() {
      if (closed) return;
      closed = true;
      await chroot.cancel();
      await keeper.close(session?.client());
      await session?.close();
    },
  };
}

/** Keeps the ephemeral znode: (re)creates it on every connection, retrying with back-off. Exported for its tests. */
export function createNodeKeeper(
  node: RegistrationNode, opts: ResolvedOptions, log: Logger, client: () => ZkClient | undefined, onRegistered: (path: string) => void,
): { ensure(client: ZkClient): void; path(): string | undefined; close(client: ZkClient | undefined): Promise<void> } {
  let path: string | undefined;
  let closed = false;
  let busy = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;

  async function ensure(c: ZkClient): Promise<void> {
    if (closed || busy) return;
    busy = true;
    try {
      path = await ensureNode(c, node, path);
      if (closed) return;
      attempt = 0;
      log.info('znode registered', { path });
      onRegistered(path);
    } catch (err) {
      // close() ran meanwhile (and made this attempt fail): nothing to retry, no timer to leave behind.
      if (closed) return;
      const delayMs = backoffDelay(attempt++, opts.backoff, opts.random);
      log.warn('znode registration failed, retrying', { delayMs, ...errFields(err) });
      retry = setTimeout(() => { const now = client(); if (now) void ensure(now); }, delayMs);
    } finally {
      busy = false;
    }
  }

  return {
    ensure(c) { clearTimeout(retry); void ensure(c); },
    path: () => path,
    async close(c) {
      closed = true;
      clearTimeout(retry);
      if (c && path) await c.remove(path).catch((err: unknown) => log.warn('znode removal failed', errFields(err)));
    },
  };
}

/** Makes sure our ephemeral znode exists (owned by this session); returns its path. */
async function ensureNode(client: ZkClient, node: RegistrationNode, known: string | undefined): Promise<string> {
  const sessionId = client.sessionId();
  if (known !== undefined) {
    const stat = await client.exists(known);
    if (stat && stat.ephemeralOwner === sessionId) return known;
  }
  await client.mkdirp(node.parentPath);
  const wanted = znodePath(node.parentPath, node.name);
  try {
    return await client.create(wanted, node.data, node.sequential ? 'ephemeral-sequential' : 'ephemeral');
  } catch (err) {
    // Ours from an earlier attempt whose answer was lost: keep it. Someone else's: retry until it goes.
    if (isZkReason(err, 'node-exists') && (await client.exists(wanted))?.ephemeralOwner === sessionId) return wanted;
    throw err;
  }
}

/**
 * The chroot of `h:2181/chroot` must exist before a client can use it; creates it when missing.
 * `cancel()` closes the client at once (a close during an outage must not wait for the connect timeout).
 */
function ensureChroot(ensemble: string, opts: ResolvedOptions): { done: Promise<void>; cancel(): Promise<void> } {
  const slash = ensemble.indexOf('/');
  if (slash < 0) return { done: Promise.resolve(), cancel: () => Promise.resolve() };
  let client: ZkClient | undefined;
  const done = (async () => {
    try {
      client = createZkClient(ensemble.slice(0, slash), { sessionTimeoutMs: opts.sessionTimeoutMs, callTimeoutMs: opts.callTimeoutMs });
      await client.whenConnected(opts.connectTimeoutMs);
      await client.mkdirp(ensemble.slice(slash));
    } catch {
      // ZooKeeper is down or the chroot cannot be created: the session's retries report the problem.
    } finally {
      await client?.close(200);
    }
  })();
  return { done, cancel: async () => { await client?.close(200); await done; } };
}
