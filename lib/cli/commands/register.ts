/**
 * `hadispatch register --zookeeper ENSEMBLE --namespace NS --url URL [--format F] [--data STRING]`:
 * registers a backend as an ephemeral znode and keeps it registered until SIGTERM/SIGINT.
 */
import { UsageError, type ZookeeperFormat } from '../../core/index.js';
import { createRegistration } from '../../discovery/index.js';
import { intFlag, parseCommandArgs } from '../args.js';
import type { Command } from './types.js';

const FORMATS: readonly ZookeeperFormat[] = ['url', 'hive', 'hbase', 'kafka', 'solr', 'atlas', 'curator'];

const HELP = `usage: hadispatch register --zookeeper ENSEMBLE [--namespace NS] --url URL [--format F] [--data STRING]
                          [--session-timeout MS]

Registers URL as an ephemeral znode written the way the real service writes it, prints the znode
path, keeps it registered (re-creating it after a session expiry) and deletes it on SIGTERM/SIGINT.

  --zookeeper ENSEMBLE    host:port[,host:port...][/chroot]
  --namespace NS          znode namespace (required for url and curator; hive defaults to hiveserver2,
                          atlas to apache_atlas, hbase to /hbase-unsecure/rs; kafka and solr ignore it)
  --format F              ${FORMATS.join(', ')} (default: url)
  --data STRING           znode data, verbatim, instead of the data derived from --url
  --session-timeout MS    ZooKeeper session timeout (default: 10000)

Formats: url    /{NS}/instance-NNNNNNNNNN, data = URL
         hive   /{NS}/serverUri=host:port;version=…;sequence=NNNNNNNNNN, HiveServer2 k=v;k=v data
         curator /{NS}/{uuid}, Curator ServiceInstance JSON
         solr   /live_nodes/host:port_context        hbase  /{NS}/rs/host,16020,startcode
         kafka  /brokers/ids/N, broker JSON           atlas  /{NS}/active_server_info, data = URL
(the Atlas server writes active_server_info as a persistent znode; register makes it ephemeral so
that a registrant that dies does not leave a stale URL behind)`;

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => { process.off('SIGTERM', on); process.off('SIGINT', on); resolve(sig); };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/** The `register` command. */
export const command: Command = {
  summary: 'register a backend as an ephemeral znode until SIGTERM/SIGINT',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('register', argv, {
      zookeeper: { type: 'string' }, namespace: { type: 'string' }, url: { type: 'string' },
      format: { type: 'string' }, data: { type: 'string' }, 'session-timeout': { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.zookeeper) throw new UsageError('--zookeeper ENSEMBLE is required');
    if (!values.url) throw new UsageError('--url URL is required');
    const format = (values.format ?? 'url') as ZookeeperFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${values.format}"`);
    const namespace = values.namespace?.replace(/^\/+|\/+$/g, '') || undefined;
    if (namespace === undefined && (format === 'url' || format === 'curator')) throw new UsageError(`--namespace NS is required for the ${format} format`);
    const sessionTimeoutMs = intFlag('session-timeout', values['session-timeout'], 10000, 2000, 600000);
    const reg = createRegistration({ ensemble: values.zookeeper, namespace, format, url: values.url, data: values.data, sessionTimeoutMs });
    const signal = waitForSignal();
    const first = await Promise.race([reg.ready, signal.then(() => undefined)]);
    if (first !== undefined) process.stdout.write(`${first}\n`);
    await signal;
    await reg.close();
    return 0;
  },
};
