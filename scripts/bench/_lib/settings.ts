/**
 * Environment knobs of `npm run bench` (all optional):
 * - `BENCH_ROUNDS` (5): interleaved rounds per candidate; tables show medians.
 * - `BENCH_SECONDS` (10): length of one measured load run.
 * - `BENCH_WARMUP_SECONDS` (3): load run before the first round of each candidate (not measured).
 * - `BENCH_QUICK=1`: smoke-test mode, 1 round of 2 s, 1 s warm-up, smaller bodies.
 * - `BENCH_CANDIDATES=a,b`: only candidates whose id contains one of these strings.
 * - `BENCH_PIN=0`: no taskset pinning. `BENCH_LOAD=autocannon`: autocannon even if wrk exists.
 * - `BENCH_BACKEND=node`: node:http backends even if nginx is installed.
 */
const env = process.env;

function int(name: string, fallback: number): number {
  const v = Number.parseInt(env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Smoke-test mode. */
export const QUICK = env['BENCH_QUICK'] === '1';
/** Interleaved rounds per candidate. */
export const ROUNDS = int('BENCH_ROUNDS', QUICK ? 1 : 5);
/** Seconds per measured load run. */
export const SECONDS = int('BENCH_SECONDS', QUICK ? 2 : 10);
/** Seconds of warm-up load before a candidate's first round. */
export const WARMUP_SECONDS = int('BENCH_WARMUP_SECONDS', QUICK ? 1 : 3);
/** The CPU the proxy under test is pinned to. */
export const PROXY_CPU = '0';
/** The CPU the load generator and the backends are pinned to. */
export const LOAD_CPU = '1';
/** Both CPUs (for `serve --workers 2`). */
export const ALL_CPUS = '0,1';

const only = (env['BENCH_CANDIDATES'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
/** Whether a candidate id passes the `BENCH_CANDIDATES` filter. */
export function wanted(id: string): boolean {
  return only.length === 0 || only.some((o) => id.includes(o));
}

/** How the run was configured, for the notes under each table. */
export function describeSettings(): string {
  return `${ROUNDS} interleaved round(s) × ${SECONDS} s per candidate after ${WARMUP_SECONDS} s warm-up${QUICK ? ' (BENCH_QUICK: smoke test, not a measurement)' : ''}`;
}
