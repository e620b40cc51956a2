/**
 * Large bodies up and down: 1 MB and 100 MB uploads (POST, streamed from a reused 64 KiB chunk) and
 * downloads (GET, streamed by a node backend) through each candidate. MB/s, and the proxy's RSS growth
 * while a 100 MB body streams through (sampled every 25 ms): streaming must keep memory flat.
 */
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { markdownTable, median, type BenchSection } from './types.js';
import { startBackends } from './_lib/backends.js';
import { DIRECT, HADISPATCH_STICKY, MINIMAL, type Candidate, type RunningCandidate } from './_lib/candidates.js';
import { check, fmt } from './_lib/format.js';
import { rssKiB, sampleRss } from './_lib/proc.js';
import { QUICK, ROUNDS, wanted } from './_lib/settings.js';

const MB = 1_000_000;
const CHUNK = Buffer.alloc(64 * 1024, 'y');
const CANDIDATES: readonly Candidate[] = [DIRECT, MINIMAL, HADISPATCH_STICKY];
/** Flat memory: the proxy may grow by at most this much while 100 MB streams through. */
const FLAT_LIMIT_MIB = 32;

interface Case { readonly label: string; readonly dir: 'up' | 'down'; readonly bytes: number; readonly repeat: number }
const CASES: readonly Case[] = [
  { label: '1 MB up', dir: 'up', bytes: 1 * MB, repeat: QUICK ? 5 : 20 },
  { label: '1 MB down', dir: 'down', bytes: 1 * MB, repeat: QUICK ? 5 : 20 },
  { label: '100 MB up', dir: 'up', bytes: 100 * MB, repeat: QUICK ? 1 : 2 },
  { label: '100 MB down', dir: 'down', bytes: 100 * MB, repeat: QUICK ? 1 : 2 },
];

function bodyOf(bytes: number): Readable {
  return Readable.from((function* gen() {
    for (let left = bytes; left > 0; left -= CHUNK.length) yield left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
  })(), { objectMode: false });
}

async function transfer(agent: Agent, base: string, headers: Readonly<Record<string, string>>, c: Case): Promise<void> {
  const res = c.dir === 'up'
    ? await request(`${base}/up`, { dispatcher: agent, method: 'POST', headers: { ...headers, 'content-length': String(c.bytes) }, body: bodyOf(c.bytes) })
    : await request(`${base}/down?bytes=${c.bytes}`, { dispatcher: agent, headers });
  let got = 0;
  for await (const chunk of res.body) got += (chunk as Buffer).length;
  if (res.statusCode !== 200) throw new Error(`${c.label}: status ${res.statusCode}`);
  if (c.dir === 'down' && got !== c.bytes) throw new Error(`${c.label}: got ${got} of ${c.bytes} bytes`);
}

interface Figures { readonly mbPerS: number; readonly growthMiB: number }

async function measureCase(agent: Agent, r: RunningCandidate, c: Case): Promise<Figures> {
  const before = rssKiB(r.pids());
  const during = sampleRss(() => r.pids());
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < c.repeat; i++) await transfer(agent, r.baseUrl, r.headers, c);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peak = during.stop();
  return { mbPerS: (c.bytes * c.repeat) / MB / seconds, growthMiB: r.pids().length ? (peak - before) / 1024 : NaN };
}

/** The large-bodies benchmark. */
export async function bench(): Promise<BenchSection> {
  const backends = await startBackends(2, 'node');
  const agent = new Agent({ connections: 4, bodyTimeout: 120_000, headersTimeout: 120_000 });
  const chosen = CANDIDATES.filter((c) => wanted(c.id));
  const running = new Map<Candidate, RunningCandidate>();
  const errors = new Map<Candidate, string>();
  const figures = new Map<string, Figures[]>();
  try {
    for (const c of chosen) {
      try { running.set(c, await c.start(backends.urls)); } catch (err) { errors.set(c, (err as Error).message.split('\n')[0]!.slice(0, 200)); }
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [c, r] of running) {
        process.stderr.write(`bench: bodies: round ${round + 1}/${ROUNDS} ${c.id}\n`);
        for (const k of CASES) {
          try {
            const list = figures.get(`${c.id}/${k.label}`) ?? [];
            list.push(await measureCase(agent, r, k));
            figures.set(`${c.id}/${k.label}`, list);
          } catch (err) {
            errors.set(c, (err as Error).message.split('\n')[0]!.slice(0, 200));
          }
        }
      }
    }
  } finally {
    await agent.close();
    await Promise.all([...running.values()].map((r) => r.stop()));
    await backends.stop();
  }
  const med = (id: string, k: Case, f: (x: Figures) => number): number => median((figures.get(`${id}/${k.label}`) ?? []).map(f));
  const rows = chosen.flatMap((c) =>
    running.has(c)
      ? CASES.map((k) => [c.label, k.label, fmt(med(c.id, k, (x) => x.mbPerS)), fmt(med(c.id, k, (x) => x.growthMiB), 1)])
      : [[c.label, `not measured: ${(errors.get(c) ?? 'skipped').replace(/\|/g, '/')}`, '', '']],
  );
  const had = HADISPATCH_STICKY.id;
  const notes = [
    `Client: undici in the bench process; backend: node:http on CPU 1; proxy on CPU 0. ${CASES.map((k) => `${k.label} × ${k.repeat}`).join(', ')} per round; medians of ${ROUNDS} round(s).`,
    'RSS growth = highest RSS sampled during the transfers − RSS just before (MiB).',
    ...[...errors].filter(([c]) => running.has(c)).map(([c, e]) => `- ${c.id}: ${e}`),
    '',
    check('hadispatch RSS growth, 100 MB up', med(had, CASES[2]!, (x) => x.growthMiB), '≤', FLAT_LIMIT_MIB, 1, ' MiB'),
    check('hadispatch RSS growth, 100 MB down', med(had, CASES[3]!, (x) => x.growthMiB), '≤', FLAT_LIMIT_MIB, 1, ' MiB'),
  ];
  return { title: 'Large bodies up and down', table: markdownTable(['candidate', 'case', 'MB/s', 'RSS growth MiB'], rows), notes: notes.join('\n') };
}
