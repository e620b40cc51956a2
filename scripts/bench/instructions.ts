/**
 * Instructions per request under callgrind (valgrind): the Node floor vs hadispatch LB + sticky
 * (cookie insert and cookie present), at 64 connections and one request at a time. Instruction
 * counts do not depend on what else the machine does, unlike req/s and CPU time. Runs only when
 * named (`npm run bench -- instructions`): under valgrind it takes about half an hour.
 *
 * Per measurement: a fresh proxy process under `valgrind --tool=callgrind --instr-atstart=no`, two
 * waves of warm-up requests uninstrumented, instrumentation on, a few hundred requests discarded,
 * counters zeroed, N requests counted, a dump. TurboFan's compile work is reported apart (V8 may
 * re-optimise inside the window; see README).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { markdownTable, type BenchSection } from './types.js';
import { smallGetBackendKind, startBackends } from './_lib/backends.js';
import { helperPath } from './_lib/compile.js';
import { knoxCookie, startHadispatch, warnIfStale } from './_lib/hadispatch.js';
import { freePort, hasCommand, runToEnd, startProcess, tempDir, waitForPort, type BenchProcess } from './_lib/proc.js';
import { QUICK } from './_lib/settings.js';

const TITLE = 'Instructions per request (callgrind)';
const NODE_FLAGS = ['--no-memory-reducer'];

/** A proxy under callgrind, ready for requests. */
interface Instrumented {
  readonly url: string;
  readonly pid: number;
  readonly dumpFile: string;
  readonly process: BenchProcess;
}

interface Case {
  readonly label: string;
  readonly floor: boolean;
  readonly cookie: boolean;
}

const CASES: readonly Case[] = [
  { label: 'minimal Node proxy (undici Pool#dispatch)', floor: true, cookie: false },
  { label: 'hadispatch LB + sticky (cookie insert)', floor: false, cookie: false },
  { label: 'hadispatch LB + sticky (cookie present)', floor: false, cookie: true },
];

function valgrind(dumpFile: string): string[] {
  return ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${dumpFile}`];
}

async function startInstrumented(c: Case, backends: readonly string[], dir: string, tag: string): Promise<Instrumented> {
  const dumpFile = join(dir, `callgrind.${tag}`);
  if (!c.floor) {
    const gw = await startHadispatch({ backends, loadBalancing: true, sticky: true, wrap: valgrind(dumpFile), nodeFlags: NODE_FLAGS, startTimeoutMs: 300_000 });
    return { url: `${gw.baseUrl}/x`, pid: gw.process.pid, dumpFile, process: gw.process };
  }
  const port = await freePort();
  const args = [...valgrind(dumpFile).slice(1), process.execPath, ...NODE_FLAGS, helperPath('minimal-proxy'), JSON.stringify({ port, backends })];
  const proc = startProcess('floor', 'valgrind', args);
  try {
    await waitForPort(port, 300_000, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}/x`, pid: proc.pid, dumpFile, process: proc };
}

/** Sends `n` GETs with `connections` in parallel; throws on a status other than 200. */
async function send(url: string, n: number, connections: number, headers: Record<string, string>): Promise<void> {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections, pipelining: 1 });
  let left = n;
  const worker = async (): Promise<void> => {
    while (left-- > 0) {
      const r = await pool.request({ path: u.pathname, method: 'GET', headers });
      await r.body.dump();
      if (r.statusCode !== 200) throw new Error(`${url}: status ${r.statusCode}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(connections, n) }, worker));
  } finally {
    await pool.close();
  }
}

async function callgrindControl(pid: number, ...options: string[]): Promise<void> {
  await runToEnd('callgrind_control', 'callgrind_control', [...options, String(pid)]);
}

/** Total instructions and TurboFan's share in a dump. */
async function readDump(file: string): Promise<{ total: number; compile: number }> {
  const text = await runToEnd('callgrind_annotate', 'callgrind_annotate', ['--inclusive=no', '--threshold=100', file]);
  let total = 0;
  let compile = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*([\d,]+)\s+(\([^)]*\)\s+)?(.*)$/.exec(line);
    if (m === null) continue;
    const count = Number((m[1] as string).replaceAll(',', ''));
    if ((m[3] ?? '').includes('PROGRAM TOTALS')) total = count;
    else if ((m[3] ?? '').includes('v8::internal::compiler::')) compile += count;
  }
  return { total, compile };
}

async function measure(c: Case, backends: readonly string[], connections: number, dir: string): Promise<{ perRequest: number; compile: number }> {
  const tag = `${c.floor ? 'floor' : c.cookie ? 'hit' : 'insert'}-${connections}`;
  const p = await startInstrumented(c, backends, dir, tag);
  const headers = c.cookie ? { cookie: knoxCookie(backends[0] as string) } : {};
  const warm = QUICK ? 300 : 20_000;
  const n = QUICK ? 200 : connections > 1 ? 4000 : 2000;
  try {
    await send(p.url, warm, connections, headers);
    await send(p.url, warm, connections, headers); // a second wave: new connections, settled JIT
    await callgrindControl(p.pid, '-i', 'on');
    await send(p.url, 200, connections, headers);
    await callgrindControl(p.pid, '-z');
    await send(p.url, n, connections, headers);
    await callgrindControl(p.pid, '-d');
  } finally {
    await p.process.stop();
  }
  // The first dump callgrind_control asks for is FILE.1 (the exit writes FILE itself).
  const dump = `${p.dumpFile}.1`;
  if (!existsSync(dump)) throw new Error(`${tag}: callgrind wrote no dump`);
  const { total, compile } = await readDump(dump);
  return { perRequest: total / n, compile: compile / n };
}

export async function bench(): Promise<BenchSection> {
  if (!process.argv.slice(2).includes('instructions')) {
    return { title: TITLE, table: '', notes: 'Not run: valgrind makes it slow; run `npm run bench -- instructions`.' };
  }
  if (!hasCommand('valgrind') || !hasCommand('callgrind_control') || !hasCommand('callgrind_annotate')) {
    return { title: TITLE, table: '', notes: 'Not run: valgrind is not installed (`apt-get install valgrind`).' };
  }
  warnIfStale();
  const backends = await startBackends(2, smallGetBackendKind());
  const dir = tempDir('callgrind');
  const rows: (string | number)[][] = [];
  try {
    for (const connections of [64, 1]) {
      let floor = NaN;
      for (const c of CASES) {
        process.stderr.write(`bench: instructions: ${c.label}, ${connections} connection(s)\n`);
        const r = await measure(c, backends.urls, connections, dir);
        const net = r.perRequest - r.compile;
        if (c.floor) floor = net;
        rows.push([c.label, connections, `${(r.perRequest / 1000).toFixed(1)}k`, `${(r.compile / 1000).toFixed(1)}k`, `${(net / 1000).toFixed(1)}k`, (net / floor).toFixed(2)]);
      }
    }
  } finally {
    await backends.stop();
  }
  return {
    title: TITLE,
    table: markdownTable(['proxy', 'connections', 'instructions / request', 'of which TurboFan', 'without TurboFan', '× floor'], rows),
    notes: `GET of a 6-byte body through two ${backends.kind} backends; ${QUICK ? 'BENCH_QUICK: 2 × 300 warm-up and 200 counted requests (not a measurement)' : '2 × 20,000 warm-up requests, then 4,000 (64 connections) or 2,000 (sequential) counted'}; a fresh proxy process per row, node ${NODE_FLAGS.join(' ')}. A row whose TurboFan share runs to many thousands re-optimised inside the window: run it again.`,
  };
}
