/** `hadispatch descriptor show FILE [--json]`: effective settings, defaults filled in, ineffective flags marked. */
import type { CookielessAffinity, ServiceConfig, TopologyConfig } from '../../core/index.js';
import { UsageError } from '../../core/index.js';
import { ATTRIBUTE_NAMES, ineffectiveSettings, parseDescriptor, readTextFile } from '../../descriptor/index.js';
import { parseCommandArgs } from '../args.js';
import { diagnosticsError, printWarnings } from './descriptor-report.js';

/** `hadispatch descriptor show --help`. */
export const SHOW_HELP = `usage: hadispatch descriptor show FILE [--json]

Prints each service of an HA descriptor or Knox topology with its effective settings: defaults
filled in, ineffective flags marked with the reason, where the backends come from.

  --json   an array of services with every field, the effective flags and ineffective: [keys]

Warnings go to stderr (stdout stays the listing). A file with errors shows nothing: its diagnostics
go to stdout (as validate prints them) and one summary line to stderr.
Exit status: 0 ok, 1 the file cannot be read or has errors, 2 bad usage.
`;

function affinityText(a: CookielessAffinity): string {
  switch (a.kind) {
    case 'pinned': return 'pinned';
    case 'client-ip': return 'client-ip';
    case 'header': return `header:${a.name}`;
    default: { const never: never = a; return never; }
  }
}

function valueText(svc: ServiceConfig, key: (typeof ATTRIBUTE_NAMES)[number]): string {
  const v = svc[key];
  if (v === undefined) return '(none)';
  if (key === 'cookielessAffinity') return affinityText(svc.cookielessAffinity);
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

function sourceText(svc: ServiceConfig): string {
  const s = svc.source;
  switch (s.kind) {
    case 'static': return s.urls.length > 0 ? `static (${s.urls.length} URL${s.urls.length === 1 ? '' : 's'})` : 'static, no URL (answers 503)';
    case 'zookeeper': return `zookeeper ${s.ensemble}, namespace ${s.namespace ?? '(none)'}, format ${s.format}`;
    default: { const never: never = s; return never; }
  }
}

/** The text rendering of one service. */
export function showService(svc: ServiceConfig): string {
  const why = new Map(ineffectiveSettings(svc).map((i) => [i.key as string, i.reason]));
  const lines = [`${svc.name}${svc.enabled ? '' : ' (disabled: not routed)'}`];
  for (const key of ATTRIBUTE_NAMES) {
    if (key === 'name') continue;
    const reason = why.get(key);
    lines.push(`  ${key}: ${valueText(svc, key)}${reason ? ` (ineffective: ${reason})` : ''}`);
  }
  lines.push(`  source: ${sourceText(svc)}`);
  for (const url of svc.urls) lines.push(`  url: ${url}${svc.source.kind === 'zookeeper' ? ' (ignored: ZooKeeper wins)' : ''}`);
  const e = svc.effective;
  lines.push(`  effective: loadBalancing=${e.loadBalancing} stickySession=${e.stickySession} noFallback=${e.noFallback}`);
  return lines.join('\n');
}

function showText(config: TopologyConfig): string {
  const kind = config.kind === 'ha' ? 'HA descriptor' : 'Knox topology';
  const head = `${config.file}: topology "${config.name}" (${kind}), ${config.services.length} service${config.services.length === 1 ? '' : 's'}`;
  return [head, ...config.services.map(showService)].join('\n\n') + '\n';
}

/** Runs `show`; a file with errors exits 1 with its diagnostics on stdout and one summary line on stderr. */
export async function runShow(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('descriptor show', argv, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('expected exactly one FILE');
  const file = positionals[0]!;
  const result = parseDescriptor(await readTextFile(file), file);
  if (!result.config) throw diagnosticsError(`${file}: invalid, nothing shown`, result.diagnostics);
  printWarnings(result.diagnostics);
  if (values.json) {
    const services = result.config.services.map((s) => ({ ...s, ineffective: ineffectiveSettings(s).map((i) => i.key) }));
    process.stdout.write(JSON.stringify(services, null, 2) + '\n');
  } else {
    process.stdout.write(showText(result.config));
  }
  return 0;
}
