/**
 * `npm run bench`: runs every benchmark module in scripts/bench/ (each exports
 * `bench(): Promise<BenchSection>`) and prints one markdown report. Everything listens on 127.0.0.1.
 * `npm run bench -- NAME...` runs only the named modules (file names without `.ts`).
 */
import { readdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { BenchSection } from './bench/types.js';

// Benchmarks print tables, not logs: keep lib/'s info lines (session state etc.) out of the report.
process.env['LOG_LEVEL'] ??= 'warn';

const dir = new URL('./bench/', import.meta.url);
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && f !== 'types.ts' && !f.startsWith('_')).sort();

process.stdout.write(`# hadispatch benchmarks\n\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}\n\n`);
let failed = 0;
for (const f of files) {
  const name = f.replace(/\.ts$/, '');
  if (only.length > 0 && !only.includes(name)) continue;
  const mod = (await import(new URL(f, dir).href)) as { bench: () => Promise<BenchSection> };
  try {
    const section = await mod.bench();
    process.stdout.write(`## ${section.title}\n\n${section.table.trim()}\n\n${section.notes ? section.notes.trim() + '\n\n' : ''}`);
  } catch (err) {
    failed++;
    process.stdout.write(`## ${name}\n\nfailed: ${(err as Error).message}\n\n`);
  }
}
process.exitCode = failed ? 1 : 0;
