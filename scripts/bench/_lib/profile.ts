/**
 * Hot-path profile of the gateway (issue part 3): runs hadispatch (LB + sticky) under
 * `node --cpu-prof`, drives it with small GETs, stops it gracefully so V8 writes the profile, and prints
 * the functions with the most self time, ours (lib/) marked.
 *
 *   node --import tsx scripts/bench/_lib/profile.ts [SECONDS] [--cookie]
 *
 * Honours BENCH_BUILD=1 like the benchmarks. Not a benchmark module (the runner skips `_lib/`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './compile.js';
import { smallGetBackendKind, startBackends } from './backends.js';
import { knoxCookie, startHadispatch } from './hadispatch.js';
import { runLoad } from './load.js';
import { tempDir } from './proc.js';
import { PROXY_CPU } from './settings.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}
interface Profile { readonly nodes: readonly ProfileNode[]; readonly startTime: number; readonly endTime: number; readonly samples: readonly number[] }

/** Whether a profiled file is the gateway's compiled lib/ (dist/ or the BENCH_BUILD build). */
function isOurs(file: string): boolean {
  return file.startsWith(join(ROOT, 'dist') + '/') || file.includes('/.cache/hadispatch-bench/build/');
}

/** Self time per function (ms), biggest first. */
export function selfTimes(p: Profile): { name: string; where: string; ms: number; ours: boolean }[] {
  const msPerSample = (p.endTime - p.startTime) / 1000 / Math.max(1, p.samples.length);
  const by = new Map<string, { name: string; where: string; ms: number; ours: boolean }>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const file = f.url.replace(/^file:\/\//, '');
    const short = isOurs(file) ? file.replace(/^.*\/(build|dist)\//, 'lib/') : file.replace(/^.*\/node_modules\//, '');
    const where = file ? `${short}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName}@${where}`;
    const e = by.get(key) ?? { name: f.functionName || '(anonymous)', where, ms: 0, ours: isOurs(file) };
    e.ms += (n.hitCount ?? 0) * msPerSample;
    by.set(key, e);
  }
  return [...by.values()].sort((a, b) => b.ms - a.ms);
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10) || 10;
  const cookie = process.argv.includes('--cookie');
  const dir = tempDir('cpu-prof');
  process.env['BENCH_NODE_FLAGS'] = `--cpu-prof --cpu-prof-dir=${dir}`;
  const backends = await startBackends(2, smallGetBackendKind());
  try {
    const gw = await startHadispatch({ backends: backends.urls, loadBalancing: true, sticky: true, cpu: PROXY_CPU });
    try {
      await runLoad({ url: `${gw.baseUrl}/x`, connections: 64, durationS: 2 });
      const r = await runLoad({ url: `${gw.baseUrl}/x`, connections: 64, durationS: seconds, headers: cookie ? { Cookie: knoxCookie(backends.urls[0]!) } : {} });
      process.stdout.write(`load: ${Math.round(r.rps)} req/s, p99 ${r.p99Ms} ms, ${r.errors + r.non2xx} failed\n`);
    } finally {
      await gw.stop();
    }
  } finally {
    await backends.stop();
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error('no .cpuprofile written (did the gateway exit gracefully on SIGTERM?)');
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profile;
    const rows = selfTimes(p);
    const total = rows.reduce((s, r) => s + r.ms, 0);
    const pct = (ms: number): string => `${((100 * ms) / total).toFixed(1)}%`;
    process.stdout.write(`\n${f}: ${total.toFixed(0)} ms sampled\n\nall functions by self time:\n`);
    for (const r of rows.slice(0, 25)) process.stdout.write(`  ${pct(r.ms).padStart(6)}  ${r.ours ? '*' : ' '} ${r.name}  ${r.where}\n`);
    const groups = new Map<string, number>();
    for (const r of rows) {
      const g = r.ours ? 'hadispatch lib/' : r.where.startsWith('node:') ? 'node core (JS)' : r.where === '' ? r.name.startsWith('(') ? r.name : 'native' : r.where.split('/')[0]!;
      groups.set(g, (groups.get(g) ?? 0) + r.ms);
    }
    process.stdout.write('\nself time by origin:\n');
    for (const [g, ms] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 12)) process.stdout.write(`  ${pct(ms).padStart(6)}  ${g}\n`);
    const ours = rows.filter((r) => r.ours);
    process.stdout.write(`\nours (lib/): ${pct(ours.reduce((s, r) => s + r.ms, 0))} self time in total\n`);
    for (const r of ours.slice(0, 20)) process.stdout.write(`  ${pct(r.ms).padStart(6)}  ${r.name}  ${r.where}\n`);
  }
}

await main();
