/**
 * `hadispatch backends [--descriptors DIR] [TOPOLOGY[/SERVICE]] [--json] [--timeout MS]`: resolves
 * every service's live backend list once, through the same discovery code the gateway routes on.
 */
import { ConfigError, DescriptorError, HaError, UsageError, type ServiceConfig, type TopologyConfig } from '../../core/index.js';
import { loadDescriptorDir, type DirLoadResult } from '../../descriptor/index.js';
import { resolveOnce } from '../../discovery/index.js';
import { intFlag, parseCommandArgs } from '../args.js';
import { renderJson, renderTable, type BackendsRow } from './backends-render.js';
import type { Command } from './types.js';

const HELP = `usage: hadispatch backends [--descriptors DIR] [TOPOLOGY[/SERVICE]] [--json] [--timeout MS]

Resolves every service's backend list once (static, or read from ZooKeeper in the service's format)
and prints topology, service, source, URLs and, for ZooKeeper, the znode each URL came from.
Disabled services are left out unless named. Skipped znodes are reported on stderr.

  --descriptors DIR  descriptor folder (default: descriptors)
  --json             machine-readable output
  --timeout MS       ZooKeeper connect and call timeout (default: 5000)

Exit status: 0 when every list was resolved; 1 when a descriptor is broken or a TOPOLOGY or SERVICE
does not exist (one line on stderr, nothing printed on stdout), or when ZooKeeper could not be read
for a service (its line shows the error).`;

/** The services to resolve. Throws ConfigError (exit 1) when the TOPOLOGY or SERVICE named does not exist. */
function select(topologies: readonly TopologyConfig[], filter: string | undefined, dir: string): { topology: string; service: ServiceConfig }[] {
  const [topo, svc] = filter === undefined ? [undefined, undefined] : filter.split('/', 2);
  const picked = topologies.filter((t) => topo === undefined || t.name === topo);
  if (topo !== undefined && picked.length === 0) throw new ConfigError(`no topology "${topo}" in ${dir}`);
  const out = picked.flatMap((t) => t.services
    .filter((s) => (svc === undefined ? s.enabled : s.name === svc || s.path === svc))
    .map((service) => ({ topology: t.name, service })));
  if (svc !== undefined && out.length === 0) throw new ConfigError(`no service "${svc}" in topology "${topo}"`);
  return out;
}

/**
 * Throws the error of a broken descriptor (the first one's one-line message, naming its file, plus
 * how many more files are broken), before anything is resolved or printed.
 */
function requireLoaded(loaded: DirLoadResult): void {
  const first = loaded.failures[0];
  if (first === undefined) return;
  if (loaded.failures.length === 1) throw first.error;
  const more = loaded.failures.length - 1;
  const diagnostics = loaded.failures.flatMap((f) => (f.error instanceof DescriptorError ? f.error.diagnostics : []));
  throw new DescriptorError(`${first.error.message} (and ${more} more broken descriptor${more > 1 ? 's' : ''})`, diagnostics, { cause: first.error });
}

async function resolveRow(topology: string, service: ServiceConfig, timeoutMs: number): Promise<BackendsRow> {
  try {
    const r = await resolveOnce(topology, service, { connectTimeoutMs: timeoutMs, callTimeoutMs: timeoutMs });
    return { topology, service, backends: r.snapshot.backends, warnings: r.warnings };
  } catch (err) {
    if (!(err instanceof HaError)) throw err;
    return { topology, service, backends: [], warnings: [], error: (err.cause as Error | undefined)?.message ?? err.message };
  }
}

/** The `backends` command. */
export const command: Command = {
  summary: 'resolve and print every service\'s live backend list',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('backends', argv, {
      descriptors: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' },
    });
    if (positionals.length > 1) throw new UsageError('expected at most one TOPOLOGY[/SERVICE]');
    const timeoutMs = intFlag('timeout', values.timeout, 5000, 1, 600000);
    const dir = values.descriptors ?? 'descriptors';
    // Everything that can refuse the command is checked before a line is printed.
    const loaded = await loadDescriptorDir(dir);
    requireLoaded(loaded);
    const wanted = select(loaded.topologies, positionals[0], dir);
    const rows = await Promise.all(wanted.map((w) => resolveRow(w.topology, w.service, timeoutMs)));
    for (const r of rows) for (const w of r.warnings) process.stderr.write(`hadispatch backends: ${r.topology}/${r.service.name}: ${w}\n`);
    for (const r of rows) if (r.error !== undefined) process.stderr.write(`hadispatch backends: ${r.topology}/${r.service.name}: ${r.error}\n`);
    process.stdout.write(values.json ? renderJson(rows) : renderTable(rows));
    return rows.some((r) => r.error !== undefined) ? 1 : 0;
  },
};
