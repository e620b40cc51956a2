/**
 * The inverse of the formats: the znode a backend registers under so that the format reads back its
 * URL (`hadispatch register`). Pure; the ZooKeeper side is in zookeeper-registration.ts.
 */
import { randomUUID } from 'node:crypto';
import { ConfigError, type ZookeeperFormat } from '../../core/index.js';
import { checkBackendUrl } from './backend-url.js';
import { HIVE_DEFAULT_NAMESPACE, layoutFor, parseZnodes } from './index.js';

/** A znode to create: ephemeral, sequential when `sequential` (ZooKeeper appends the counter). */
export interface RegistrationNode {
  readonly parentPath: string;
  readonly name: string;
  readonly sequential: boolean;
  readonly data: Buffer;
}

/** Inputs of {@link registrationFor}; `data` replaces the derived data verbatim. */
export interface RegistrationInput {
  readonly format: ZookeeperFormat;
  readonly namespace: string | undefined;
  readonly url: string;
  readonly data?: string | undefined;
  readonly now?: number;
  readonly id?: string;
}

/** The Hive version we claim in HiveServer2-style child names. */
const HIVE_VERSION = '3.1.3';

function hiveData(u: URL, host: string, port: number): string {
  return [
    `hive.server2.instance.uri=${host}:${port}`, 'hive.server2.authentication=NONE', 'hive.server2.transport.mode=http',
    `hive.server2.thrift.http.path=${u.pathname.replace(/^\/+/, '') || 'cliservice'}`, `hive.server2.thrift.bind.host=${host}`,
    `hive.server2.thrift.http.port=${port}`, `hive.server2.use.SSL=${u.protocol === 'https:'}`,
  ].join(';');
}

function curatorData(u: URL, host: string, port: number, id: string, now: number, namespace: string | undefined): string {
  const ssl = u.protocol === 'https:';
  const path = u.pathname === '/' ? '' : u.pathname;
  const v = (value: string): { value: string; variable: boolean } => ({ value, variable: true });
  const lit = (value: string): { value: string; variable: boolean } => ({ value, variable: false });
  return JSON.stringify({
    name: namespace?.split('/').pop() ?? 'service', id, address: host, port: ssl ? null : port, sslPort: ssl ? port : null,
    payload: null, registrationTimeUTC: now, serviceType: 'DYNAMIC',
    uriSpec: { parts: [v('scheme'), lit('://'), v('address'), lit(':'), v(ssl ? 'ssl-port' : 'port'), ...(path ? [lit(path)] : [])] },
    enabled: true,
  });
}

function nodeFor(input: RegistrationInput, u: URL): Omit<RegistrationNode, 'parentPath'> {
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const now = input.now ?? Date.now();
  const id = input.id ?? randomUUID();
  const text = (s: string): Buffer => Buffer.from(input.data ?? s, 'utf8');
  switch (input.format) {
    case 'url': return { name: 'instance-', sequential: true, data: text(input.url) };
    case 'atlas': return { name: 'active_server_info', sequential: false, data: text(input.url) };
    case 'hive': return { name: `serverUri=${host}:${port};version=${HIVE_VERSION};sequence=`, sequential: true, data: text(hiveData(u, host, port)) };
    case 'curator': return { name: id, sequential: false, data: text(curatorData(u, host, port, id, now, input.namespace)) };
    case 'solr': return { name: `${host}:${port}${u.pathname === '/' ? '' : u.pathname.replace(/\//g, '_')}`, sequential: false, data: text('') };
    case 'hbase': return { name: `${host},16020,${now}`, sequential: false, data: text('') };
    case 'kafka': {
      const brokerId = String(parseInt(id.replace(/[^0-9a-f]/gi, '').slice(0, 7) || '1', 16) % 1000000);
      const json = { listener_security_protocol_map: { PLAINTEXT: 'PLAINTEXT' }, endpoints: [`PLAINTEXT://${u.host.replace(/:\d+$/, '')}:9092`], jmx_port: -1, host, timestamp: String(now), port: 9092, version: 4 };
      return { name: brokerId, sequential: false, data: text(JSON.stringify(json)) };
    }
    default: {
      const never: never = input.format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

/**
 * The znode that makes `input.format` read back `input.url`. Throws ConfigError
 * (HAD_ERR_CONFIG_INVALID) for a bad URL, or for one the format cannot express (e.g. `hbase` always
 * yields `http://HOST:8080`), unless `data` overrides the data.
 */
export function registrationFor(input: RegistrationInput): RegistrationNode {
  const check = checkBackendUrl(input.url);
  if (!check.ok) throw new ConfigError(`--url: ${check.reason}`);
  const u = new URL(check.url);
  const layout = layoutFor(input.format, input.namespace ?? (input.format === 'hive' ? HIVE_DEFAULT_NAMESPACE : undefined));
  const parentPath = layout.kind === 'node' ? layout.parentPath : input.format === 'hbase' && !input.namespace ? '/hbase-unsecure/rs' : layout.paths[0] ?? '/';
  const node = { parentPath, ...nodeFor(input, u) };
  if (input.data === undefined) {
    const back = parseZnodes(input.format, [{ name: node.sequential ? `${node.name}0000000000` : node.name, data: node.data }], { parentPath });
    const got = back.backends[0]?.url;
    if (got === undefined || new URL(got).href !== u.href) {
      throw new ConfigError(`--url ${check.url}: the ${input.format} format cannot express this URL${got ? ` (it would read back as ${got})` : ''}`);
    }
  }
  return node;
}
