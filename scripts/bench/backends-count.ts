/**
 * Per-request cost vs the number of backends: one hadispatch service with 1 backend URL vs 1,000
 * distinct backend URLs (the same listener with distinct paths `/b0` … `/b999`, so only the URL
 * count differs), LB + sticky, with no cookie (round robin + cookie insert) and with a cookie that
 * names the LAST backend (a linear search would show here). CPU µs/request must not grow.
 */
import { markdownTable, type BenchSection } from './types.js';
import { smallGetBackendKind, startBackends } from './_lib/backends.js';
import type { Candidate } from './_lib/candidates.js';
import { check, fmt, ratio } from './_lib/format.js';
import { knoxCookie, startHadispatch } from './_lib/hadispatch.js';
import { measureInterleaved, type CandidateFigures } from './_lib/rounds.js';
import { PROXY_CPU, describeSettings, wanted } from './_lib/settings.js';

const MANY = 1000;

function urlsFor(count: number, listener: string): string[] {
  return Array.from({ length: count }, (_, i) => `${listener}/b${i}`);
}

function candidate(count: number, cookie: boolean): Candidate {
  return {
    id: `backends-${count}-${cookie ? 'hit' : 'insert'}`,
    label: `hadispatch, ${count} backend${count > 1 ? 's' : ''}, ${cookie ? 'cookie for the last backend' : 'no cookie (insert)'}`,
    start: async (listeners) => {
      const urls = urlsFor(count, listeners[0]!);
      const gw = await startHadispatch({ backends: urls, loadBalancing: true, sticky: true, cpu: PROXY_CPU });
      return { baseUrl: gw.baseUrl, headers: cookie ? { Cookie: knoxCookie(urls[urls.length - 1]!) } : {}, pids: gw.pids, stop: gw.stop };
    },
  };
}

const CANDIDATES: readonly Candidate[] = [candidate(1, false), candidate(MANY, false), candidate(1, true), candidate(MANY, true)];

/** The backend-count benchmark. */
export async function bench(): Promise<BenchSection> {
  const backends = await startBackends(1, smallGetBackendKind());
  let figs: CandidateFigures[];
  try {
    figs = await measureInterleaved(CANDIDATES.filter((c) => wanted(c.id)), { backends: backends.urls, path: '/x', connections: 64, label: 'backends-count' });
  } finally {
    await backends.stop();
  }
  const get = (id: string): CandidateFigures | undefined => figs.find((f) => f.candidate.id === id && f.runs.length > 0);
  const rows = figs.map((f) =>
    f.runs.length === 0
      ? [f.candidate.label, `not measured: ${(f.error ?? 'skipped').replace(/\|/g, '/')}`, '', '', '', '']
      : [f.candidate.label, fmt(f.rps), fmt(f.p99Ms, 2), fmt(f.cpuUsPerReq, 1), fmt(f.peakRssMiB, 1), f.failures],
  );
  const cpu = (id: string): number => get(id)?.cpuUsPerReq ?? NaN;
  const notes = [
    `64 connections, GET of 6 bytes; the ${MANY} URLs point at one listener with distinct paths. ${describeSettings()}.`,
    '',
    check(`CPU/request ${MANY} vs 1 backend, no cookie`, ratio(cpu(`backends-${MANY}-insert`), cpu('backends-1-insert')), '≤', 1.1),
    check(`CPU/request ${MANY} vs 1 backend, cookie present`, ratio(cpu(`backends-${MANY}-hit`), cpu('backends-1-hit')), '≤', 1.1),
  ];
  return {
    title: `1 vs ${MANY} backends (per-request cost)`,
    table: markdownTable(['candidate', 'req/s', 'p99 ms', 'CPU µs/req', 'peak RSS MiB', 'failed req'], rows),
    notes: notes.join('\n'),
  };
}
