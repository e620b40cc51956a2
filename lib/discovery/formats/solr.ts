/** `solr`: SolrCloud's `/live_nodes`, child names `host:port_context` → `http://host:port/context`. */
import { isPlausibleHost, parsePort, urlHost } from './backend-url.js';
import type { ChildOutcome, ZnodeChild } from './types.js';

/**
 * One live node. Solr writes the context path with `/` replaced by `_`; Knox turns every `_`
 * back into `/`, we only those after the port, so a host name with `_` survives.
 */
export function parseSolrChild(child: ZnodeChild): ChildOutcome {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d+)(?:_(.*))?$/.exec(child.name);
  if (!m) return { kind: 'skip', reason: 'name is not host:port_context' };
  const host = m[1] ?? '';
  const port = parsePort(m[2] ?? '');
  if (port === undefined) return { kind: 'skip', reason: 'bad port in name' };
  if (!isPlausibleHost(host)) return { kind: 'skip', reason: 'bad host in name' };
  let context: string;
  try {
    context = decodeURIComponent((m[3] ?? '').replace(/_/g, '/'));
  } catch {
    return { kind: 'skip', reason: 'bad context in name' };
  }
  return { kind: 'url', url: `http://${urlHost(host)}:${port}${context === '' ? '' : `/${context.replace(/^\/+/, '')}`}` };
}
