/** `hbase`: HBase region servers, child names `host,port,startcode` of `{namespace}/rs` (SPEC §5). */
import { isPlausibleHost, urlHost } from './backend-url.js';
import type { ChildOutcome, ZnodeChild } from './types.js';

/** HBase REST's default port; Knox hard-codes it. */
export const HBASE_REST_PORT = 8080;

/** One region server → `http://host:8080`. A name that is not `host,port,startcode` is skipped. */
export function parseHbaseChild(child: ZnodeChild): ChildOutcome {
  const parts = child.name.split(',');
  if (parts.length !== 3) return { kind: 'skip', reason: 'name is not host,port,startcode' };
  const [host = '', port = '', startcode = ''] = parts;
  if (!/^\d+$/.test(port) || !/^\d+$/.test(startcode)) return { kind: 'skip', reason: 'name is not host,port,startcode' };
  if (!isPlausibleHost(host)) return { kind: 'skip', reason: 'bad host in name' };
  return { kind: 'url', url: `http://${urlHost(host)}:${HBASE_REST_PORT}` };
}
