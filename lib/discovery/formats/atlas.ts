/** `atlas`: the data of `{namespace}/active_server_info` (default namespace `apache_atlas`) is the URL. */
import { dataText } from './parse-children.js';
import type { ChildOutcome, ZnodeChild } from './types.js';

/** The znode Atlas's active server writes, and the default namespace (Knox, KNOX-1271). */
export const ATLAS_ACTIVE_NODE = 'active_server_info';
export const ATLAS_DEFAULT_NAMESPACE = 'apache_atlas';

/** The active Atlas server's URL, used verbatim (validated by the caller). */
export function parseAtlasChild(child: ZnodeChild): ChildOutcome {
  if (child.name !== ATLAS_ACTIVE_NODE) return { kind: 'ignore' };
  const text = dataText(child);
  return text === undefined ? { kind: 'skip', reason: 'no data' } : { kind: 'url', url: text };
}
