/**
 * The formats of SPEC §5 in one place: where each reads ({@link layoutFor}) and how children become
 * backends ({@link parseZnodes}). Pure: no ZooKeeper client here.
 */
import type { ZookeeperFormat } from '../../core/index.js';
import { ATLAS_ACTIVE_NODE, ATLAS_DEFAULT_NAMESPACE } from './atlas.js';
import { parseChildren } from './parse-children.js';
import { childParser } from './parsers.js';
import type { FormatContext, FormatResult, ZnodeChild } from './types.js';

export type { ZnodeChild, FormatContext, FormatResult } from './types.js';
export { checkBackendUrl, urlHost } from './backend-url.js';
export { znodePath } from './parse-children.js';
export { createIncrementalParser, type IncrementalParser, type IncrementalResult } from './incremental.js';

/** HiveServer2's default `hive.server2.zookeeper.namespace`, used when a HIVE service names none. */
export const HIVE_DEFAULT_NAMESPACE = 'hiveserver2';

/**
 * Where a format's znodes are: `children` reads the children of the first of `paths` that has any
 * (HBase falls back from `/hbase-secure/rs` to `/hbase-unsecure/rs`), with their data when
 * `readData`; `node` reads one znode's data.
 */
export type ZnodeLayout =
  | { readonly kind: 'children'; readonly paths: readonly string[]; readonly readData: boolean }
  | { readonly kind: 'node'; readonly parentPath: string; readonly name: string };

/** The znodes a format reads for a namespace (without leading slash, or undefined). */
export function layoutFor(format: ZookeeperFormat, namespace: string | undefined): ZnodeLayout {
  const ns = (fallback: string): string => `/${namespace ?? fallback}`;
  switch (format) {
    case 'hive': return { kind: 'children', paths: [ns(HIVE_DEFAULT_NAMESPACE)], readData: true };
    case 'hbase': return { kind: 'children', paths: namespace ? [`/${namespace}/rs`] : ['/hbase-secure/rs', '/hbase-unsecure/rs'], readData: false };
    case 'kafka': return { kind: 'children', paths: ['/brokers/ids'], readData: true };
    case 'solr': return { kind: 'children', paths: ['/live_nodes'], readData: false };
    case 'atlas': return { kind: 'node', parentPath: ns(ATLAS_DEFAULT_NAMESPACE), name: ATLAS_ACTIVE_NODE };
    case 'curator':
    case 'url': return { kind: 'children', paths: [namespace ? `/${namespace}` : '/'], readData: true };
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

/**
 * Turns the children of `ctx.parentPath` into backends in the given format: sorted by znode path,
 * every URL validated, each unusable child skipped with one warning naming its znode. Never throws.
 * ZooKeeper's own `/zookeeper` node is ignored when reading the root.
 */
export function parseZnodes(format: ZookeeperFormat, children: readonly ZnodeChild[], ctx: FormatContext): FormatResult {
  const parse = childParser(format);
  const visible = ctx.parentPath === '/' ? children.filter((c) => c.name !== 'zookeeper') : children;
  return parseChildren(parse, visible, ctx);
}
