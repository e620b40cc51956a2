/**
 * 1,000 keep-alive client connections: the proxy's RSS before, with 1,000 idle connections (after one
 * request each), and its peak while 1,000 connections are busy (wrk -c1000). Each round starts a
 * fresh proxy process; the table shows medians.
 */
import { markdownTable, median, type BenchSection } from './types.js';
import { smallGetBackendKind, startBackends } from './_lib/backends.js';
import { HADISPATCH_STICKY, MINIMAL, type Candidate } from './_lib/candidates.js';
import { check, fmt } from './_lib/format.js';
import { openIdleConnections } from './_lib/idle-connections.js';
import { runLoad } from './_lib/load.js';
import { peakRssKiB, rssKiB, sleep } from './_lib/proc.js';
import { ROUNDS, SECONDS, describeSettings, wanted } from './_lib/settings.js';

const CONNECTIONS = 1000;
const IDLE_MS = 2000;
const CANDIDATES: readonly Candidate[] = [MINIMAL, HADISPATCH_STICKY];

interface Round {
  readonly baseMiB: number;
  readonly idleMiB: number;
  readonly idlePeakMiB: number;
  readonly opened: number;
  readonly reused: number;
  readonly busyPeakMiB: number;
  readonly busyRps: number;
}

async function measureOnce(c: Candidate, backends: readonly string[]): Promise<Round> {
  const r = await c.start(backends);
  try {
    const url = `${r.baseUrl}/x`;
    // One request first so start-up allocations do not count as per-connection memory.
    await (await openIdleConnections(url, 1, r.headers)).close();
    await sleep(200);
    const baseMiB = rssKiB(r.pids()) / 1024;
    const idle = await openIdleConnections(url, CONNECTIONS, r.headers);
    await sleep(IDLE_MS);
    const idleMiB = rssKiB(r.pids()) / 1024;
    const idlePeakMiB = peakRssKiB(r.pids()) / 1024;
    const reused = await idle.touch();
    idle.close();
    const busy = await runLoad({ url, connections: CONNECTIONS, durationS: Math.max(2, Math.round(SECONDS / 2)), headers: r.headers });
    return { baseMiB, idleMiB, idlePeakMiB, opened: idle.opened, reused, busyPeakMiB: peakRssKiB(r.pids()) / 1024, busyRps: busy.rps };
  } finally {
    await r.stop();
  }
}

/** The connections benchmark. */
export async function bench(): Promise<BenchSection> {
  const backends = await startBackends(2, smallGetBackendKind());
  const rounds = Math.min(ROUNDS, 3);
  const results = new Map<Candidate, Round[]>();
  const errors = new Map<Candidate, string>();
  const chosen = CANDIDATES.filter((c) => wanted(c.id));
  try {
    for (let i = 0; i < rounds; i++) {
      for (const c of chosen) {
        if (errors.has(c)) continue;
        process.stderr.write(`bench: connections: round ${i + 1}/${rounds} ${c.id}\n`);
        try {
          const list = results.get(c) ?? [];
          list.push(await measureOnce(c, backends.urls));
          results.set(c, list);
        } catch (err) {
          errors.set(c, (err as Error).message.split('\n')[0]!.slice(0, 200));
        }
      }
    }
  } finally {
    await backends.stop();
  }
  const m = (rs: readonly Round[], f: (r: Round) => number): number => median(rs.map(f));
  const rows = chosen.map((c) => {
    const rs = results.get(c) ?? [];
    if (rs.length === 0) return [c.label, `not measured: ${(errors.get(c) ?? 'skipped').replace(/\|/g, '/')}`, '', '', '', '', '', ''];
    const perConnKiB = ((m(rs, (r) => r.idleMiB) - m(rs, (r) => r.baseMiB)) * 1024) / CONNECTIONS;
    return [
      c.label, fmt(m(rs, (r) => r.baseMiB), 1), fmt(m(rs, (r) => r.idleMiB), 1), fmt(m(rs, (r) => r.idlePeakMiB), 1), fmt(perConnKiB, 1),
      `${fmt(m(rs, (r) => r.opened))} / ${fmt(m(rs, (r) => r.reused))}`, fmt(m(rs, (r) => r.busyPeakMiB), 1), fmt(m(rs, (r) => r.busyRps)),
    ];
  });
  const had = results.get(HADISPATCH_STICKY) ?? [];
  const header = ['candidate', 'RSS before MiB', `RSS ${CONNECTIONS} idle MiB`, 'peak RSS (idle) MiB', 'KiB / idle conn', 'opened / reused', `peak RSS under wrk -c${CONNECTIONS} MiB`, `req/s at ${CONNECTIONS} conns`];
  const notes = [
    `${CONNECTIONS} keep-alive connections each make one GET, stay idle ${IDLE_MS / 1000} s, then make a second GET ("reused" counts the connections the proxy kept open); then wrk drives ${CONNECTIONS} busy connections. Fresh proxy process per round; medians of ${rounds} round(s). ${describeSettings()}.`,
    '',
    check('hadispatch peak RSS with 1,000 idle keep-alive connections', had.length ? m(had, (r) => r.idlePeakMiB) : NaN, '≤', 150, 1, ' MiB'),
  ];
  return { title: `${CONNECTIONS} keep-alive connections (memory)`, table: markdownTable(header, rows), notes: notes.join('\n') };
}
