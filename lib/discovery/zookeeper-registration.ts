/**
 * `hadispatch register`: keeps one ephemeral znode registered in a format's layout, re-creating it
 * after a session expiry, and removes it on close.
 */
import { childLogger, errFields, type ZookeeperFormat } from '../core/index.js';
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
  let path: string | undefined;
  let closed = false;
  let busy = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let resolveReady!: (p: string) => void;
  const ready = new Promise<string>((resolve) => { resolveReady = resolve; });

  async function ensure(client: ZkClient): Promise<void> {
    if (closed || busy) return;
    busy = true;
    try {
      path = await ensureNode(client, node, path);
      if (closed) return;
      attempt = 0;
      log.info('znode registered', { path });
      resolveReady(path);
    } catch (err) {
      const delayMs = backoffDelay(attempt++, opts.backoff, opts.random);
      log.warn('znode registration failed, retrying', { delayMs, ...errFields(err) });
      retry = setTimeout(() => { const c = session?.client(); if (c) void ensure(c); }, delayMs);
    } finally {
      busy = false;
    }
  }

  void ensureChroot(options.ensemble, opts).then(() => {
    if (closed) return;
    session = createZkSession(options.ensemble, opts);
    session.track({ onConnected: (client) => { clearTimeout(retry); void ensure(client); } });
  });

  return {
    ready,
    path: () => path,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retry);
      const client = session?.client();
      if (client && path) await client.remove(path).catch((err: unknown) => log.warn('znode removal failed', errFields(err)));
      await session?.close();
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

/** The chroot of `h:2181/chroot` must exist before a client can use it; create it when missing. */
async function ensureChroot(ensemble: string, opts: ResolvedOptions): Promise<void> {
  const slash = ensemble.indexOf('/');
  if (slash < 0 || ensemble.slice(slash) === '/') return;
  let client: ZkClient | undefined;
  try {
    client = createZkClient(ensemble.slice(0, slash), { sessionTimeoutMs: opts.sessionTimeoutMs, callTimeoutMs: opts.callTimeoutMs });
    await client.whenConnected(opts.connectTimeoutMs);
    await client.mkdirp(ensemble.slice(slash).replace(/\/+$/, ''));
  } catch {
    // ZooKeeper is down or the chroot cannot be created: the session's retries report the problem.
  } finally {
    await client?.close(200);
  }
}
