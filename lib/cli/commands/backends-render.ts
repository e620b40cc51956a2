/** Rendering of `hadispatch backends`: a plain table or JSON. */
import type { BackendEntry, ServiceConfig } from '../../core/index.js';

/** One service's resolved list (or the error that prevented it). */
export interface BackendsRow {
  readonly topology: string;
  readonly service: ServiceConfig;
  readonly backends: readonly BackendEntry[];
  readonly warnings: readonly string[];
  readonly error?: string;
}

/** `static`, or `zookeeper ENSEMBLE/NS FORMAT`. */
export function sourceLabel(service: ServiceConfig): string {
  const s = service.source;
  switch (s.kind) {
    case 'static': return 'static';
    case 'zookeeper': return `zookeeper ${s.ensemble}${s.namespace !== undefined ? `/${s.namespace}` : ''} ${s.format}`;
    default: {
      const never: never = s;
      return String(never);
    }
  }
}

/** The table: one line per backend URL, with the znode it came from; `(none)` or `error: …` otherwise. */
export function renderTable(rows: readonly BackendsRow[]): string {
  const lines: string[][] = [['TOPOLOGY', 'SERVICE', 'SOURCE', 'URL', 'ZNODE']];
  for (const r of rows) {
    const head = [r.topology, r.service.name, sourceLabel(r.service)];
    if (r.error !== undefined) lines.push([...head, `error: ${r.error}`, '']);
    else if (r.backends.length === 0) lines.push([...head, '(none)', '']);
    else for (const b of r.backends) lines.push([...head, b.url, b.znode ?? '']);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return lines.map((l) => l.map((cell, i) => (i === l.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Machine-readable output: `{ services: [...] }`. */
export function renderJson(rows: readonly BackendsRow[]): string {
  const services = rows.map((r) => {
    const s = r.service.source;
    const source = s.kind === 'static' ? { kind: 'static' } : { kind: 'zookeeper', ensemble: s.ensemble, namespace: s.namespace ?? null, format: s.format };
    return {
      topology: r.topology, service: r.service.name, source,
      backends: r.backends.map((b) => (b.znode !== undefined ? { url: b.url, znode: b.znode } : { url: b.url })),
      warnings: r.warnings, ...(r.error !== undefined ? { error: r.error } : {}),
    };
  });
  return JSON.stringify({ services }, null, 2) + '\n';
}
