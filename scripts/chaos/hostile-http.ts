/**
 * Scenario 8: hostile HTTP against a real gateway process. 10,000 random and oversized Cookie
 * headers; header floods (431); slowloris (500 slow connections while normal clients get through);
 * request smuggling (CL+TE, duplicate Content-Length, obfuscated Transfer-Encoding: refused, never
 * forwarded); random path tricks that must never reach another service or leave the base path.
 */
import { connect, type Socket } from 'node:net';
import { posix } from 'node:path';
import { Cleanup } from './_lib/cleanup.js';
import { startServe } from './_lib/gateway-procs.js';
import { startLoad } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, haXml, writeDescriptor } from './_lib/descriptors.js';
import { hold } from './_lib/procs.js';
import { HEADER_CHARS, HEX, int, makeRng, pick, randomString, seedFromEnv, type Rng } from './_lib/random.js';
import { Verdict, total } from './_lib/verdict.js';
import { startBackend, answerName, type TestBackend } from '../../test/helpers/backends.js';
import { rawRequest, statusOf } from '../../test/helpers/gateway.js';
import type { Scenario } from './_lib/types.js';
import { debug } from './_lib/debug.js';

const COOKIE_NAME = 'KNOX_BACKEND-WHOAMI';
const raw0 = (s: string): string => s;

/** A random Cookie header: garbage, our sticky cookie with a random value, many cookies, or oversized. */
export function randomCookie(rng: Rng): string {
  switch (int(rng, 6)) {
    case 0: return randomString(rng, 1 + int(rng, 200), HEADER_CHARS);
    case 1: return `${COOKIE_NAME}=${randomString(rng, int(rng, 130), HEX + 'XYZ.-_=;')}`;
    case 2: return Array.from({ length: 1 + int(rng, 300) }, (_, i) => `c${i}=${randomString(rng, int(rng, 20), HEX)}`).join('; ');
    case 3: return `${COOKIE_NAME}=${bigString(rng, 40000 + int(rng, 30000))}`;
    case 4: return `${COOKIE_NAME}=${randomString(rng, 64, HEX)}; ${COOKIE_NAME}=${randomString(rng, 64, HEX)}`;
    default: return `${COOKIE_NAME}=${'a'.repeat(int(rng, 5000))}`;
  }
}

let block = '';
/** A long random-looking hex string, fast: a slice of a 64 KiB block at a random offset. */
function bigString(rng: Rng, n: number): string {
  if (block.length === 0) block = randomString(rng, 65536, HEX);
  const start = int(rng, block.length);
  let s = block.slice(start) + block;
  while (s.length < n) s += block;
  return s.slice(0, n);
}

const SEGMENTS = ['..', '%2e%2e', '.%2E', '%2E.', '.', '%2e', '%2f', '%2F', '%5c', '\\', '', '%00', '%252e%252e', '%c0%ae%c0%ae',
  ';', '%3b', 'x', 'other', 'OTHER', '..;', '%2e%2e%2f', '..%2f', '..%5c', '%u002e', 'a%2f..%2f..', '?', '#', '%3f'];

/** A random path under (or trying to escape) the WHOAMI service. */
export function randomTrickPath(rng: Rng): string {
  const parts = Array.from({ length: 1 + int(rng, 6) }, () => pick(rng, SEGMENTS));
  const prefix = pick(rng, [WHOAMI_PATH, `${WHOAMI_PATH}/`, `/gateway/${TOPOLOGY}`, '/gateway', `${WHOAMI_PATH}/x/y`, `/gateway/${TOPOLOGY}/whoami%2f`]);
  const path = `${prefix}${int(rng, 2) === 0 ? '/' : ''}${parts.join(int(rng, 3) === 0 ? '//' : '/')}`;
  // A plain request for the other service is legitimate, not a trick.
  return /^\/gateway\/chaos\/other(\/|$|\?|#)/i.test(path) ? WHOAMI_PATH : path;
}

/** True when a path the WHOAMI backend received stays under its base path once decoded (once) and normalised. */
export function staysUnder(base: string, received: string): boolean {
  const path = received.split('?')[0] ?? '';
  if (path !== base && !path.startsWith(`${base}/`)) return false;
  // A backend decodes once: `%252e%252e` is a segment literally named `%2e%2e`, not `..`.
  let decoded = path;
  try { decoded = decodeURIComponent(path); } catch { /* undecodable: taken literally */ }
  const normal = posix.normalize(decoded.replace(/\\/g, '/'));
  return normal === base || normal.startsWith(`${base}/`);
}

interface Smuggle { readonly desc: string; readonly bytes: string }

function smuggles(path: string): readonly Smuggle[] {
  const next = 'GET /gateway/chaos/other/smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
  return [
    { desc: 'CL+TE', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${next}` },
    { desc: 'TE+CL', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 60\r\n\r\n0\r\n\r\n${next}` },
    { desc: 'duplicate CL (different)', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 60\r\n\r\nx${next}` },
    { desc: 'duplicate CL (same)', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx${next}` },
    { desc: 'CL list', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 60\r\n\r\nx${next}` },
    { desc: 'TE xchunked + CL', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${next}` },
    { desc: 'TE chunked, identity', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${next}` },
    { desc: 'TE with space before colon', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${next}` },
    { desc: 'TE obs-fold', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${next}` },
    { desc: 'bare LF line endings', bytes: `POST ${path} HTTP/1.1\nHost: x\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\n\n${next}` },
    { desc: 'chunk size overflow', bytes: `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF1\r\nx\r\n0\r\n\r\n${next}` },
  ];
}

export const scenario: Scenario = {
  name: 'hostile-http',
  description: 'random/oversized cookies, header floods, slowloris, smuggling, path tricks',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    const sockets: Socket[] = [];
    c.add(() => { for (const s of sockets) s.destroy(); });
    const seed = seedFromEnv();
    const rng = makeRng(seed);
    v.note(`seed ${seed}`);
    try {
      const seen: Record<string, string[]> = { pub: [], other: [] };
      const record = (b: TestBackend, req: { url?: string | undefined }): void => { seen[b.name]?.push(req.url ?? ''); };
      const pub = await startBackend('pub', (req, res, b) => { record(b, req); answerName(req, res, b); });
      const other = await startBackend('other', (req, res, b) => { record(b, req); answerName(req, res, b); });
      c.add(() => pub.close());
      c.add(() => other.close());
      const dir = await c.tempDir('hostile');
      await writeDescriptor(dir, TOPOLOGY, haXml([
        { name: 'WHOAMI', urls: [`${pub.url}/base`], attrs: { enableLoadBalancing: true, enableStickySession: true } },
        { name: 'OTHER', urls: [other.url] },
      ]));
      const gw = await startServe({ descriptorsDir: dir });
      c.add(() => gw.kill());
      const url = gw.url + WHOAMI_PATH;

      // 1. Random and oversized Cookie headers.
      const cookieAmount = 10000;
      const cookies = startLoad({
        url, amount: cookieAmount, connections: 8, vary: () => ({ headers: { cookie: randomCookie(rng) } }),
        ok: (s) => s === 200 || s === 431 || s === 400,
      });
      const ck = await cookies.done;
      v.sent += ck.sent;
      // The gateway closes the connection after a 431; autocannon has already written its next
      // request on it by then, so up to one request per 431 goes unanswered on the client side.
      // An oversized head may also be cut off while autocannon is still writing it: the kernel
      // reports that write as ECONNRESET or EPIPE, depending on timing (one of the two per 431).
      const n431 = ck.byStatus['431'] ?? 0;
      const resets = Math.min(ck.errors['ECONNRESET'] ?? 0, n431);
      const cookieErrors = {
        ...ck.errors,
        lost: Math.max(0, (ck.errors['lost'] ?? 0) - n431),
        ECONNRESET: (ck.errors['ECONNRESET'] ?? 0) - resets,
        EPIPE: Math.max(0, (ck.errors['EPIPE'] ?? 0) - (n431 - resets)),
      };
      v.addErrors(cookieErrors, 'cookie: ');
      v.check(total(cookieErrors) === 0, `random cookies: errors ${JSON.stringify(cookieErrors)}`);
      v.note(`cookies: ${JSON.stringify(ck.byStatus)}`);

      debug('2. Header floods');
      // 2. Header floods: one oversized head, and a flood of many small headers.
      const bigHead = Array.from({ length: 700 }, (_, i) => `x-flood-${i}: ${'f'.repeat(60)}\r\n`).join('');
      // Node counts header names + values (not ": " and CRLF) against maxHeaderSize.
      const manyHead = Array.from({ length: 5000 }, (_, i) => `h${i}: ${i}-12345\r\n`).join('');
      const floods = [
        { desc: 'size flood (700 headers, 50 KB)', head: bigHead },
        { desc: 'count flood (5,000 small headers, 75 KB)', head: manyHead },
        { desc: 'one 40 KB header', head: `x-big: ${'b'.repeat(40000)}\r\n` },
      ];
      const before = seen['pub']?.length ?? 0;
      for (const f of floods) {
        const raw = await rawRequest(gw.port, `GET ${WHOAMI_PATH}/flood HTTP/1.1\r\nHost: x\r\n${f.head}Connection: close\r\n\r\n`);
        v.sent++;
        v.check(statusOf(raw) === 431, `${f.desc}: expected 431, got ${statusOf(raw) || 'no response'}`);
      }
      v.check((seen['pub']?.length ?? 0) === before, 'a header flood reached the backend');
      // Many tiny headers under the byte limit: Node would silently drop the fields past its count
      // limit; the gateway answers 431 (regression: this used to be forwarded with fields missing).
      const tiny = Array.from({ length: 5000 }, (_, i) => `h${i}: 1\r\n`).join('');
      const tinyRaw = await rawRequest(gw.port, `GET ${WHOAMI_PATH}/flood HTTP/1.1\r\nHost: x\r\n${tiny}Connection: close\r\n\r\n`);
      v.sent++;
      const tinyStatus = statusOf(raw0(tinyRaw));
      v.note(`5,000 tiny headers (30 KB of names+values): ${tinyStatus}`);
      v.check(tinyStatus === 431, `a flood of 5,000 small header fields got ${tinyStatus}, not 431`);
      v.check((seen['pub']?.length ?? 0) === before, 'a small-header flood reached the backend');

      debug('3. Slowloris');
      // 3. Slowloris: 500 connections trickling a request head, while normal clients keep going.
      const slow = 500;
      let slowClosed = 0;
      for (let i = 0; i < slow; i++) {
        const s = connect({ host: '127.0.0.1', port: gw.port });
        s.on('error', () => undefined);
        s.on('close', () => { slowClosed++; });
        s.write(`GET ${WHOAMI_PATH}/slow HTTP/1.1\r\nHost: x\r\n`);
        sockets.push(s);
      }
      const drip = setInterval(() => { for (const s of sockets) if (!s.destroyed) s.write('x'); }, 500);
      c.add(() => clearInterval(drip));
      const normal = startLoad({ url, amount: quick ? 2000 : 20000, connections: 10, timeoutS: 5 });
      const n = await normal.done;
      if (!quick) await hold(3000);
      clearInterval(drip);
      v.sent += n.sent + slow;
      v.addErrors(n.errors, 'beside slowloris: ');
      v.check(total(n.errors) === 0, `normal clients beside 500 slowloris connections: errors ${JSON.stringify(n.errors)}`);
      v.note(`slowloris: 500 slow connections, ${n.sent} normal requests in ${n.endedAt - n.startedAt} ms, ${slowClosed} slow connections closed by the gateway meanwhile`);
      for (const s of sockets) s.destroy();

      debug('4. Request smuggl');
      // 4. Request smuggling: refused (400 or connection closed), never forwarded.
      const smuggleResults: string[] = [];
      for (const sm of smuggles(WHOAMI_PATH)) {
        const pubBefore = seen['pub']?.length ?? 0;
        const raw = await rawRequest(gw.port, sm.bytes, 2000);
        v.sent++;
        const status = statusOf(raw);
        smuggleResults.push(`${sm.desc}: ${status || 'closed'}`);
        v.check(status === 400 || status === 0 || status === 501, `smuggling ${sm.desc}: expected a refusal, got ${status}`);
        v.check((seen['pub']?.length ?? 0) === pubBefore, `smuggling ${sm.desc}: forwarded to the backend`);
      }
      v.check(!(seen['other'] ?? []).some((u) => u.includes('smuggled')), 'a smuggled request reached the other service');
      v.note(`smuggling: ${smuggleResults.join(', ')}`);

      debug('5. Path tricks');
      // 5. Path tricks: random combinations of dot segments, encoded slashes and backslashes.
      const trickAmount = quick ? 3000 : 20000;
      const otherBefore = seen['other']?.length ?? 0;
      const pubBefore = seen['pub']?.length ?? 0;
      const tricks = startLoad({
        url: gw.url + WHOAMI_PATH, amount: trickAmount, connections: 8, ok: (s) => s === 200 || s === 400 || s === 404,
        vary: () => ({ path: randomTrickPath(rng) }),
      });
      // And a few hundred through raw sockets, one connection each.
      const rawTricks = quick ? 200 : 2000;
      const trickStatus: Record<string, number> = {};
      for (let i = 0; i < rawTricks; i++) {
        const path = randomTrickPath(rng);
        const raw = await rawRequest(gw.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 2000);
        const st = String(statusOf(raw));
        trickStatus[st] = (trickStatus[st] ?? 0) + 1;
        v.sent++;
        if (!['200', '400', '404'].includes(st)) v.check(false, `path trick ${path}: status ${st}`);
      }
      const t = await tricks.done;
      v.sent += t.sent;
      const trickLost = Math.min(t.errors['lost'] ?? 0, t.byStatus['400'] ?? 0);
      const trickErrors = { ...t.errors, lost: (t.errors['lost'] ?? 0) - trickLost };
      v.addErrors(trickErrors, 'path tricks: ');
      v.check(total(trickErrors) === 0, `path tricks through autocannon: errors ${JSON.stringify(trickErrors)}`);
      v.note(`path tricks (autocannon): ${trickAmount} random paths → ${JSON.stringify(t.byStatus)}`);
      const otherHits = (seen['other']?.length ?? 0) - otherBefore;
      const escaped = (seen['pub'] ?? []).slice(pubBefore).filter((u) => !staysUnder('/base', u));
      v.goneHits += otherHits;
      v.check(otherHits === 0, `path tricks reached the other service ${otherHits} times: ${(seen['other'] ?? []).slice(otherBefore, otherBefore + 5).join(' ')}`);
      v.check(escaped.length === 0, `path tricks left the base path: ${escaped.slice(0, 5).join(' ')}`);
      v.note(`path tricks (raw): ${rawTricks} random paths → ${JSON.stringify(trickStatus)}`);
      // The gateway is still healthy afterwards.
      const last = await fetch(url);
      await last.arrayBuffer();
      v.check(last.status === 200, `gateway unhealthy after the hostile traffic: ${last.status}`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
