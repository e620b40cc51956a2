/**
 * `npm run chaos [-- NAME...]`: runs the fault-injection scenarios (issue #7) against real processes
 * on 127.0.0.1 and prints a markdown table of their figures; exit 1 when any scenario failed.
 * CHAOS_QUICK=1 runs the shortened form (as `npm test` does); CHAOS_FROM_SOURCE=1 runs the gateway
 * from lib/ instead of dist/. `--list` prints the scenario names.
 */
import { setLogLevel } from '../lib/core/index.js';
import { SCENARIOS } from './chaos/index.js';
import { markdownTable } from './chaos/_lib/report.js';
import type { ScenarioResult } from './chaos/_lib/types.js';

const args = process.argv.slice(2);
if (args.includes('--list')) {
  for (const s of SCENARIOS) process.stdout.write(`${s.name}\t${s.description}\n`);
  process.exit(0);
}
const unknown = args.filter((a) => !SCENARIOS.some((s) => s.name === a));
if (unknown.length > 0) {
  process.stderr.write(`chaos: unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}
const quick = process.env['CHAOS_QUICK'] === '1';
// In-process gateways (ZooKeeper scenarios) log like `serve --log-level error`.
setLogLevel(process.env['LOG_LEVEL'] ?? 'error');
const chosen = args.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => args.includes(s.name));
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

const results: ScenarioResult[] = [];
for (const s of chosen) {
  process.stderr.write(`chaos: ${s.name} (${s.description})${quick ? ' [quick]' : ''}...\n`);
  const t0 = Date.now();
  const r = await s.run({ quick });
  results.push(r);
  process.stderr.write(`chaos: ${s.name} ${r.passed ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  for (const f of r.failures) process.stderr.write(`  - ${f}\n`);
}
process.stdout.write(`\n${markdownTable(results)}`);
process.exit(results.every((r) => r.passed) ? 0 : 1);
