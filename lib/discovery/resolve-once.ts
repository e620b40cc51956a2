/** One-shot resolution of a service's list (`hadispatch backends`), through the same code the gateway routes on. */
import { ZkError, type ServiceConfig, type Snapshot } from '../core/index.js';
import { layoutFor, parseZnodes } from './formats/index.js';
import { resolveOptions } from './options.js';
import { makeSnapshot } from './snapshot.js';
import type { DiscoveryOptions } from './types.js';
import { createZkClient } from './zookeeper-client.js';
import { createZnodeReader } from './zookeeper-reader.js';

/** A resolved list plus one warning per skipped znode. */
export interface ResolvedList {
  readonly snapshot: Snapshot;
  readonly warnings: readonly string[];
}

/**
 * Resolves `service`'s backend list once: a static list at once, a ZooKeeper list with a session of
 * its own that is closed afterwards. Throws ZkError (HAD_ERR_ZK_TIMEOUT or HAD_ERR_ZK_UNAVAILABLE)
 * when ZooKeeper cannot be read within the connect and call timeouts.
 */
export async function resolveOnce(topology: string, service: ServiceConfig, options: DiscoveryOptions = {}): Promise<ResolvedList> {
  const opts = resolveOptions(options);
  const cfg = service.source;
  if (cfg.kind === 'static') return { snapshot: makeSnapshot(cfg.urls.map((url) => ({ url })), 'static', opts.clock()), warnings: [] };
  const client = createZkClient(cfg.ensemble, { sessionTimeoutMs: opts.sessionTimeoutMs, callTimeoutMs: opts.callTimeoutMs });
  try {
    await client.whenConnected(opts.connectTimeoutMs);
    const read = await createZnodeReader(layoutFor(cfg.format, cfg.namespace)).read(client);
    const result = parseZnodes(cfg.format, read.children, { parentPath: read.parentPath });
    return { snapshot: makeSnapshot(result.backends, 'zookeeper', opts.clock()), warnings: result.warnings };
  } catch (err) {
    if (err instanceof ZkError) {
      const code = err.code === 'HAD_ERR_ZK_TIMEOUT' ? 'HAD_ERR_ZK_TIMEOUT' : 'HAD_ERR_ZK_UNAVAILABLE';
      throw new ZkError(code, `${topology}/${service.name}: ${err.message}`, { cause: err });
    }
    throw err;
  } finally {
    await client.close(500);
  }
}
