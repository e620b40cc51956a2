/**
 * `hive`: HiveServer2's znodes under `/{namespace}`. Child names (`serverUri=host:port;version=…;
 * sequence=…`) are ignored; each child's data is `k=v;k=v` as HiveServer2 publishes it (SPEC §5).
 */
import { isPlausibleHost, parsePort, urlHost } from './backend-url.js';
import { dataText } from './parse-children.js';
import type { ChildOutcome, ZnodeChild } from './types.js';

/** HiveServer2's defaults for the keys Knox reads. */
export const HIVE_DEFAULT_HTTP_PORT = 10001;
export const HIVE_DEFAULT_HTTP_PATH = 'cliservice';

/** Parses HiveServer2's `k=v;k=v` data: keys and values trimmed, a value runs to the next `;`. */
export function parseHiveConfig(text: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const piece of text.split(';')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const key = piece.slice(0, eq).trim();
    if (key !== '') out.set(key, piece.slice(eq + 1).trim());
  }
  return out;
}

/**
 * One HiveServer2 instance → `http[s]://{bind.host}:{http.port}/{http.path}`. Instances in binary
 * transport mode are not HTTP and are skipped; so are children without a bind host (Knox would
 * build `http://null:…` from those, e.g. Hive's `leader` znode, HIVE-25411).
 */
export function parseHiveChild(child: ZnodeChild): ChildOutcome {
  const text = dataText(child);
  if (text === undefined) return { kind: 'skip', reason: 'no data' };
  const conf = parseHiveConfig(text);
  const mode = conf.get('hive.server2.transport.mode')?.toLowerCase();
  if (mode === 'binary') return { kind: 'skip', reason: 'transport mode is binary, not http' };
  const host = conf.get('hive.server2.thrift.bind.host');
  if (host === undefined || host === '') return { kind: 'skip', reason: 'no hive.server2.thrift.bind.host' };
  if (!isPlausibleHost(host)) return { kind: 'skip', reason: 'bad hive.server2.thrift.bind.host' };
  const portText = conf.get('hive.server2.thrift.http.port');
  const port = portText === undefined || portText === '' ? HIVE_DEFAULT_HTTP_PORT : parsePort(portText);
  if (port === undefined) return { kind: 'skip', reason: 'bad hive.server2.thrift.http.port' };
  const rawPath = conf.get('hive.server2.thrift.http.path');
  const path = (rawPath === undefined || rawPath === '' ? HIVE_DEFAULT_HTTP_PATH : rawPath).replace(/^\/+/, '');
  const ssl = conf.get('hive.server2.use.SSL')?.toLowerCase() === 'true';
  return { kind: 'url', url: `${ssl ? 'https' : 'http'}://${urlHost(host)}:${port}/${path}` };
}
