/**
 * Load generation: wrk (`-t1 --latency`) when installed, else autocannon's programmatic API in a
 * child process. Either way the load generator runs pinned to the load/backend CPU.
 */
import { helperPath } from './compile.js';
import { hasCommand, runToEnd } from './proc.js';
import { LOAD_CPU } from './settings.js';

/** What one load run measured. */
export interface LoadResult {
  readonly tool: 'wrk' | 'autocannon';
  readonly requests: number;
  readonly durationS: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /** Responses other than 2xx/3xx. */
  readonly non2xx: number;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Force a tool (default: wrk when installed). */
  readonly tool?: 'wrk' | 'autocannon';
}

/** The load generator that {@link runLoad} uses by default. */
export function defaultLoadTool(): 'wrk' | 'autocannon' {
  return process.env['BENCH_LOAD'] === 'autocannon' || !hasCommand('wrk') ? 'autocannon' : 'wrk';
}

/** Runs one load test and returns its figures. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const tool = opts.tool ?? defaultLoadTool();
  return tool === 'wrk' ? runWrk(opts) : runAutocannon(opts);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function wrkDurationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  return m ? Number(m[1]) * (UNIT_MS[m[2]!] ?? NaN) : NaN;
}

/** Parses `wrk --latency` output. Exported for tests of the parser. */
export function parseWrk(out: string): LoadResult {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  const requests = num(/(\d+) requests in ([\d.]+)(?:us|ms|s|m)/);
  const dur = /\d+ requests in ([\d.]+(?:us|ms|s|m))/.exec(out)?.[1] ?? '';
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sock ? sock.slice(1).reduce((s, x) => s + Number(x), 0) : 0;
  const p = (pct: string): number => wrkDurationMs(new RegExp(`^\\s*${pct}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const durationS = wrkDurationMs(dur) / 1000;
  return {
    tool: 'wrk',
    requests,
    durationS,
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: p('50'),
    p99Ms: p('99'),
    errors,
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
  };
}

async function runWrk(opts: LoadOptions): Promise<LoadResult> {
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.durationS}s`, '--latency', '--timeout', '10s'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(opts.url);
  const out = await runToEnd('wrk', 'wrk', args, { cpu: LOAD_CPU });
  const r = parseWrk(out);
  if (!Number.isFinite(r.requests)) throw new Error(`could not parse wrk output: ${out.slice(0, 400)}`);
  return r;
}

async function runAutocannon(opts: LoadOptions): Promise<LoadResult> {
  const cfg = { url: opts.url, connections: opts.connections, durationS: opts.durationS, headers: opts.headers ?? {} };
  const out = await runToEnd('autocannon', process.execPath, [helperPath('autocannon-client'), JSON.stringify(cfg)], { cpu: LOAD_CPU });
  const line = out.trim().split('\n').pop() ?? '{}';
  const r = JSON.parse(line) as Omit<LoadResult, 'tool' | 'rps'>;
  return { tool: 'autocannon', ...r, rps: r.requests / r.durationS };
}
