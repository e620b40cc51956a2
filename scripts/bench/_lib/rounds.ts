/**
 * Interleaved rounds: every candidate is started once, warmed up, then measured once per round in a
 * rotating order, so slow drifts of a shared machine hit every candidate alike. Figures are medians.
 */
import { median } from '../types.js';
import type { Candidate, RunningCandidate } from './candidates.js';
import { runLoad, type LoadResult } from './load.js';
import { cpuTimeUs, peakRssKiB } from './proc.js';
import { ROUNDS, SECONDS, WARMUP_SECONDS } from './settings.js';

/** One measured run of one candidate. */
export interface RunFigures {
  readonly load: LoadResult;
  /** Proxy CPU time per request (µs), NaN when the candidate has no process. */
  readonly cpuUsPerReq: number;
}

/** Medians over the rounds of one candidate (or why it was not measured). */
export interface CandidateFigures {
  readonly candidate: Candidate;
  readonly error?: string;
  readonly runs: readonly RunFigures[];
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuUsPerReq: number;
  /** Peak RSS (VmHWM, summed over the candidate's processes) in MiB, NaN without a process. */
  readonly peakRssMiB: number;
  /** Failed requests (socket errors + non-2xx/3xx) over all rounds. */
  readonly failures: number;
}

/** Options of {@link measureInterleaved}. */
export interface RoundOptions {
  readonly backends: readonly string[];
  /** Path appended to each candidate's base URL. */
  readonly path: string;
  readonly connections: number;
  readonly rounds?: number;
  readonly seconds?: number;
  /** Progress lines go to stderr. */
  readonly label: string;
}

/** Measures one load run against a started candidate. */
export async function measureRun(c: RunningCandidate, path: string, connections: number, seconds: number): Promise<RunFigures> {
  const pids = c.pids();
  const before = cpuTimeUs(pids);
  const load = await runLoad({ url: c.baseUrl + path, connections, durationS: seconds, headers: c.headers });
  const used = cpuTimeUs(pids) - before;
  return { load, cpuUsPerReq: pids.length === 0 ? NaN : used / Math.max(1, load.requests) };
}

function progress(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

/** Starts every available candidate, runs the interleaved rounds, stops them all (even on error). */
export async function measureInterleaved(candidates: readonly Candidate[], o: RoundOptions): Promise<CandidateFigures[]> {
  const rounds = o.rounds ?? ROUNDS;
  const seconds = o.seconds ?? SECONDS;
  const running = new Map<Candidate, RunningCandidate>();
  const errors = new Map<Candidate, string>();
  const runs = new Map<Candidate, RunFigures[]>();
  try {
    for (const c of candidates) {
      if (c.unavailable) { errors.set(c, c.unavailable); continue; }
      try {
        const r = await c.start(o.backends);
        running.set(c, r);
        progress(`${o.label}: warming up ${c.id}`);
        await runLoad({ url: r.baseUrl + o.path, connections: o.connections, durationS: WARMUP_SECONDS, headers: r.headers });
        runs.set(c, []);
      } catch (err) {
        errors.set(c, (err as Error).message.split('\n')[0]!.slice(0, 300));
        progress(`${o.label}: ${c.id} not measured: ${(err as Error).message.slice(0, 500)}`);
      }
    }
    const order = [...running.keys()];
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < order.length; i++) {
        const c = order[(i + round) % order.length]!;
        progress(`${o.label}: round ${round + 1}/${rounds} ${c.id}`);
        try {
          const run = await measureRun(running.get(c)!, o.path, o.connections, seconds);
          runs.get(c)!.push(run);
          progress(`${o.label}:   ${Math.round(run.load.rps)} req/s, ${run.cpuUsPerReq.toFixed(1)} µs CPU/req, p99 ${run.load.p99Ms} ms`);
        } catch (err) {
          errors.set(c, (err as Error).message.split('\n')[0]!.slice(0, 300));
        }
      }
    }
    return candidates.map((c) => summarize(c, runs.get(c) ?? [], errors.get(c), running.get(c)));
  } finally {
    await Promise.all([...running.values()].map((r) => r.stop()));
  }
}

function summarize(candidate: Candidate, runs: readonly RunFigures[], error: string | undefined, running: RunningCandidate | undefined): CandidateFigures {
  const pids = running?.pids() ?? [];
  const m = (f: (r: RunFigures) => number): number => median(runs.map(f));
  return {
    candidate,
    ...(error !== undefined ? { error } : {}),
    runs,
    rps: m((r) => r.load.rps),
    p50Ms: m((r) => r.load.p50Ms),
    p99Ms: m((r) => r.load.p99Ms),
    cpuUsPerReq: m((r) => r.cpuUsPerReq),
    peakRssMiB: pids.length ? peakRssKiB(pids) / 1024 : NaN,
    failures: runs.reduce((s, r) => s + r.load.errors + r.load.non2xx, 0),
  };
}
