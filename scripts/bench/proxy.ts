/**
 * Small GETs at 64 connections through every candidate (the main table): req/s, p50/p99,
 * proxy CPU µs per request and peak RSS, medians of interleaved rounds, with same-run ratios against
 * the minimal undici proxy (the Node floor) and HAProxy; then the "Done when" checklist.
 */
import { markdownTable, type BenchSection } from './types.js';
import { smallGetBackendKind, startBackends } from './_lib/backends.js';
import {
  DIRECT, FASTIFY, HADISPATCH_RANKED_SIGNED, HADISPATCH_STICKY, HADISPATCH_STICKY_HIT, HADISPATCH_WORKERS_1, HADISPATCH_WORKERS_2,
  BARE, HAPROXY, MINIMAL, MINIMAL_STREAM, NGINX, NODE_HTTP_PROXY, type Candidate,
} from './_lib/candidates.js';
import { check, fmt, ratio } from './_lib/format.js';
import { warnIfStale } from './_lib/hadispatch.js';
import { defaultLoadTool } from './_lib/load.js';
import { canPin } from './_lib/proc.js';
import { measureInterleaved, type CandidateFigures } from './_lib/rounds.js';
import { describeSettings, wanted } from './_lib/settings.js';

const CONNECTIONS = 64;

/** Candidates of the pinned table (the proxy on CPU 0). */
const PINNED: readonly Candidate[] = [
  DIRECT, HAPROXY, NGINX, MINIMAL, MINIMAL_STREAM, FASTIFY, NODE_HTTP_PROXY, BARE,
  HADISPATCH_STICKY, HADISPATCH_STICKY_HIT, HADISPATCH_RANKED_SIGNED,
];
/** `serve --workers 1` vs `2`, not pinned (two workers need both CPUs). */
const WORKERS: readonly Candidate[] = [HADISPATCH_WORKERS_1, HADISPATCH_WORKERS_2];

function rows(figs: readonly CandidateFigures[]): (string | number)[][] {
  const by = (id: string): CandidateFigures | undefined => figs.find((f) => f.candidate.id === id);
  const floor = by('minimal-dispatch')?.rps ?? NaN;
  const haproxy = by('haproxy')?.rps ?? NaN;
  return figs.map((f) =>
    f.runs.length === 0
      ? [f.candidate.label, `not measured: ${(f.error ?? 'skipped').replace(/\|/g, '/')}`, '', '', '', '', '', '', '']
      : [
          f.candidate.label, fmt(f.rps), fmt(f.p50Ms, 2), fmt(f.p99Ms, 2), fmt(f.cpuUsPerReq, 1), fmt(f.peakRssMiB, 1),
          fmt(ratio(f.rps, floor), 2), fmt(ratio(f.rps, haproxy), 2), f.failures,
        ],
  );
}

function checklist(figs: readonly CandidateFigures[]): string {
  const get = (id: string): CandidateFigures | undefined => figs.find((f) => f.candidate.id === id && f.runs.length > 0);
  const had = get('hadispatch-sticky-insert');
  const floor = get('minimal-dispatch');
  const v = (f: CandidateFigures | undefined, k: 'rps' | 'cpuUsPerReq' | 'p99Ms'): number => f?.[k] ?? NaN;
  return [
    'Done-when checklist (hadispatch = LB + sticky, cookie insert; same run, medians):',
    check('hadispatch/minimal req/s', ratio(v(had, 'rps'), v(floor, 'rps')), '≥', 0.95),
    check('hadispatch/HAProxy req/s', ratio(v(had, 'rps'), v(get('haproxy'), 'rps')), '≥', 0.4),
    check('hadispatch/minimal CPU per request', ratio(v(had, 'cpuUsPerReq'), v(floor, 'cpuUsPerReq')), '≤', 1.1),
    check('hadispatch/fastify+reply-from req/s', ratio(v(had, 'rps'), v(get('fastify-reply-from'), 'rps')), '≥', 1.8),
    check('hadispatch/node-http-proxy req/s', ratio(v(had, 'rps'), v(get('node-http-proxy'), 'rps')), '≥', 2.3),
    check('hadispatch/minimal p99 latency', ratio(v(had, 'p99Ms'), v(floor, 'p99Ms')), '≤', 1.3),
    '',
    bareLine(get('bare-stack'), had, get('node-http-proxy')),
  ].join('\n');
}

/** The bare stack against node-http-proxy and hadispatch: how much of a ratio the parts alone give. */
function bareLine(bare: CandidateFigures | undefined, had: CandidateFigures | undefined, nhp: CandidateFigures | undefined): string {
  if (bare === undefined || nhp === undefined) return 'Bare stack (node:net + llhttp + undici, no features): not measured.';
  return `Bare stack (node:net + llhttp + undici, forwarding only) / node-http-proxy req/s = ${fmt(ratio(bare.rps, nhp.rps), 2)}; `
    + `hadispatch / bare stack = ${fmt(ratio(had?.rps ?? NaN, bare.rps), 2)} (what the gateway's features cost on top of its parts).`;
}

/** The small-GET benchmark. */
export async function bench(): Promise<BenchSection> {
  warnIfStale();
  const kind = smallGetBackendKind();
  const backends = await startBackends(2, kind);
  try {
    const pinned = PINNED.filter((c) => wanted(c.id));
    const workers = WORKERS.filter((c) => wanted(c.id));
    const figs = await measureInterleaved(pinned, { backends: backends.urls, path: '/x', connections: CONNECTIONS, label: 'proxy' });
    const wfigs = workers.length ? await measureInterleaved(workers, { backends: backends.urls, path: '/x', connections: CONNECTIONS, label: 'proxy workers' }) : [];
    const header = ['candidate', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'peak RSS MiB', '× minimal', '× HAProxy', 'failed req'];
    const pin = canPin() ? 'proxy pinned to CPU 0, load generator and backends to CPU 1' : 'no pinning (taskset missing or 1 CPU)';
    const notes = [
      `GET of a 6-byte body, ${CONNECTIONS} keep-alive connections, ${defaultLoadTool()} -t1, two ${kind} backends on 127.0.0.1; ${pin}; ${describeSettings()}.`,
      'CPU µs/req = proxy process CPU time (utime+stime from /proc) during the run ÷ requests; peak RSS = VmHWM (summed over worker processes).',
      '"cookie insert": the load generator sends no cookie, so every response carries Set-Cookie (like HAProxy `cookie insert` for new clients); "cookie present": every request carries a valid Knox cookie for backend 1 (sticky hit path).',
      '',
      checklist(figs),
      ...(wfigs.length
        ? [
            '',
            `serve --workers (not pinned: both CPUs shared with the load generator and backends, so the gain is bounded by the 2-core machine):`,
            '',
            markdownTable(header, rows(wfigs)),
            '',
            `- --workers 2 / --workers 1 req/s = ${fmt(ratio(wfigs[1]?.rps ?? NaN, wfigs[0]?.rps ?? NaN), 2)}`,
          ]
        : []),
    ];
    return { title: 'Small GETs, 64 connections', table: markdownTable(header, rows(figs)), notes: notes.join('\n') };
  } finally {
    await backends.stop();
  }
}
