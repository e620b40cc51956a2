/**
 * Scenario 9: fuzzed inputs. Random and mutated XML descriptors (parsing never throws, only
 * diagnoses; no "internal error" diagnostic; the CLI's `descriptor validate` exits 0 or 1, never
 * crashes); random znode data for every format (never a bad URL, never a crash); random sticky
 * cookie values through a real gateway, signed and unsigned (never routed to a backend the value
 * does not name).
 */
import { createHash, createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDescriptor } from '../../lib/descriptor/index.js';
import { parseZnodes, layoutFor } from '../../lib/discovery/index.js';
import type { ZookeeperFormat } from '../../lib/core/index.js';
import { Cleanup } from './_lib/cleanup.js';
import { cliArgs } from './_lib/gateway-procs.js';
import { ROOT } from './_lib/procs.js';
import { TOPOLOGY, haXml } from './_lib/descriptors.js';
import { HEADER_CHARS, HEX, int, makeRng, pick, randomString, seedFromEnv, type Rng } from './_lib/random.js';
import { Verdict } from './_lib/verdict.js';
import { startBackend } from '../../test/helpers/backends.js';
import { startTestGateway } from '../../test/helpers/gateway.js';
import type { Scenario } from './_lib/types.js';

const SEED_HA = `<?xml version="1.0" encoding="UTF-8"?>
<ha>
  <!-- comment -->
  <service name="WEBHDFS" enabled="true" enableLoadBalancing="true" maxFailoverAttempts="3" failoverSleep="1000">
    <url>http://nn1.example.com:50070/webhdfs</url>
    <url>http://nn2.example.com:50070/webhdfs</url>
  </service>
  <service name="HIVE" zookeeperEnsemble="zk1:2181,zk2:2181/chroot" zookeeperNamespace="hiveserver2"
           enableLoadBalancing="true" enableStickySession="true" noFallback="true" stickySessionCookieSameSite="Lax"
           stickySessionRankedRoutes="2" loadBalancingPolicy="leastRequests" cookielessAffinity="header:X-User"/>
</ha>
`;
const SEED_TOPOLOGY = `<topology><gateway><provider><role>ha</role><name>HaProvider</name><enabled>true</enabled>
<param><name>WEBHDFS</name><value>maxFailoverAttempts=3;failoverSleep=1000;enabled=true</value></param>
<param><name>HIVE</name><value>enabled=true;zookeeperEnsemble=zk1:2181;zookeeperNamespace=hiveserver2</value></param>
</provider></gateway>
<service><role>WEBHDFS</role><url>http://nn1:50070/webhdfs</url><url>http://nn2:50070/webhdfs</url><param><name>haEnabled</name><value>true</value></param></service>
<service><role>HIVE</role></service></topology>
`;
const XML_TOKENS = ['<', '>', '&', '"', "'", '</ha>', '<ha>', '<service name="X">', '</service>', '<url>', '</url>', '<!--', '-->',
  '<![CDATA[', ']]>', '<!DOCTYPE ha [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '&e;', '&amp;', '&#0;', '&#x110000;', '\u0000',
  '\uFFFF', '\uD800', '=', ';', 'true', 'yes', '-1', '99999999999999999999', 'enableLoadBalancing', '<?xml version="1.0"?>', '\n', ' ', '\t'];

/** One random mutation of `text`. */
export function mutateXml(rng: Rng, text: string): string {
  let s = text;
  for (let k = 1 + int(rng, 4); k > 0; k--) {
    const at = int(rng, s.length + 1);
    switch (int(rng, 6)) {
      case 0: s = s.slice(0, at) + pick(rng, XML_TOKENS) + s.slice(at); break;
      case 1: s = s.slice(0, at) + s.slice(at + 1 + int(rng, 30)); break;
      case 2: s = s.slice(0, at) + String.fromCharCode(int(rng, 0x3000)) + s.slice(at + 1); break;
      case 3: s = s.slice(0, at); break;
      case 4: { const from = int(rng, s.length); s = s.slice(0, at) + s.slice(from, from + int(rng, 80)) + s.slice(at); break; }
      default: s = randomString(rng, int(rng, 300), HEADER_CHARS + '<>&\n'); break;
    }
  }
  return s;
}

const EVIL_HOSTS = ['null', 'undefined', '', ' ', 'a b', '[::1]', '::1', 'h@evil.example', 'h/x', 'h?x', 'h#x', 'evil.example:1', '%00',
  'h\u0000', '\u00e9x', '127.0.0.1', 'host.example', '-', '.', '..', 'user:pw@h', 'h\r\nx: y', '[', '1.2.3.4.5', 'localhost'];
const EVIL_PORTS: unknown[] = ['0', '-1', '65536', '99999', '', 'abc', '80', '8080', '1e3', ' 80', '0x50', 443, 0, -5, 1.5, null, true, '10001'];

function randomChild(rng: Rng, format: ZookeeperFormat): { name: string; data: Buffer | undefined } {
  const h = (): string => pick(rng, EVIL_HOSTS);
  const p = (): unknown => pick(rng, EVIL_PORTS);
  const garbage = (): Buffer => Buffer.from(randomString(rng, int(rng, 100), HEADER_CHARS + '{}[]":,;=\n'));
  if (int(rng, 8) === 0) return { name: randomString(rng, 1 + int(rng, 20), HEADER_CHARS), data: int(rng, 2) === 0 ? undefined : garbage() };
  switch (format) {
    case 'hive': return { name: `serverUri=${h()}:${String(p())};version=3;sequence=${int(rng, 99)}`, data: Buffer.from(
      [`hive.server2.thrift.bind.host=${h()}`, `hive.server2.thrift.http.port=${String(p())}`, `hive.server2.thrift.http.path=${pick(rng, ['cliservice', '', '/x/../y', 'a?b', '%2e%2e'])}`,
        `hive.server2.transport.mode=${pick(rng, ['http', 'binary', 'HTTP', ''])}`, `hive.server2.use.SSL=${pick(rng, ['true', 'false', 'yes'])}`]
        .filter(() => int(rng, 6) !== 0).join(pick(rng, [';', ';;', ' ; ', '\n']))) };
    case 'hbase': return { name: `${h()},${String(p())},${int(rng, 1e9)}`, data: undefined };
    case 'solr': return { name: `${h()}:${String(p())}_${pick(rng, ['solr', '', 'x_y'])}`, data: undefined };
    case 'kafka': return { name: String(int(rng, 10)), data: int(rng, 5) === 0 ? garbage() : Buffer.from(JSON.stringify({
      host: pick(rng, [h(), null, 5]), port: p(), endpoints: int(rng, 2) === 0 ? [`PLAINTEXT://${h()}:${String(p())}`, 5, null] : pick(rng, [[], 'x', null]) })) };
    case 'curator': return { name: `inst-${int(rng, 100)}`, data: int(rng, 5) === 0 ? garbage() : Buffer.from(JSON.stringify({
      name: 'svc', id: 'i', address: pick(rng, [h(), null, 7]), port: p(), sslPort: int(rng, 2) === 0 ? p() : null, enabled: pick(rng, [true, false, 'no', undefined]),
      uriSpec: int(rng, 2) === 0 ? { parts: [{ value: pick(rng, ['scheme', 'address', 'port', 'ssl-port', 'x']), variable: true }, { value: pick(rng, ['://', ':', '/p', '']), variable: false }, { value: 'address', variable: pick(rng, [true, false, 1]) }, { value: ':', variable: false }, { value: 'port', variable: true }] } : pick(rng, [null, 'x', { parts: 'x' }]) })) };
    case 'atlas':
    case 'url': return { name: `n${int(rng, 100)}`, data: int(rng, 3) === 0 ? garbage() : Buffer.from(
      `${pick(rng, ['http', 'https', 'ftp', 'javascript', 'HTTP', 'file', ''])}${pick(rng, ['://', ':/', ':', '///'])}${h()}${int(rng, 2) === 0 ? `:${String(p())}` : ''}${pick(rng, ['', '/', '/base', '/a/../b', '?q=1', '#f', ' '])}`) };
    default: return { name: 'x', data: undefined };
  }
}

/** An independent check of a produced backend URL (not the implementation's own validator). */
export function badUrlReason(url: string): string | undefined {
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return 'whitespace or control character';
  let u: URL;
  try { u = new URL(url); } catch { return 'not a URL'; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `scheme ${u.protocol}`;
  if (['', 'null', 'undefined', 'none'].includes(u.hostname.toLowerCase())) return `host "${u.hostname}"`;
  if (u.username !== '' || u.password !== '') return 'credentials';
  if (u.search !== '' || u.hash !== '' || url.includes('?') || url.includes('#')) return 'query or fragment';
  if (u.port !== '' && (Number(u.port) < 1 || Number(u.port) > 65535)) return `port ${u.port}`;
  return undefined;
}

const FORMATS: readonly ZookeeperFormat[] = ['hive', 'hbase', 'kafka', 'solr', 'atlas', 'curator', 'url'];

export const scenario: Scenario = {
  name: 'fuzz-inputs',
  description: 'random descriptors, znode data and sticky cookies',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    const seed = seedFromEnv();
    const rng = makeRng(seed);
    v.note(`seed ${seed}`);
    try {
      // 1. Descriptors.
      const xmlRuns = quick ? 3000 : 30000;
      let rejected = 0;
      const crashes: string[] = [];
      const samples: string[] = [];
      for (let i = 0; i < xmlRuns; i++) {
        const text = mutateXml(rng, i % 2 === 0 ? SEED_HA : SEED_TOPOLOGY);
        try {
          const r = parseDescriptor(text, 'fuzz.xml');
          if (r.config === undefined) rejected++;
          if (r.config === undefined && !r.diagnostics.some((d) => d.severity === 'error')) crashes.push('rejected without an error diagnostic');
          const internal = r.diagnostics.find((d) => /internal error/i.test(d.message));
          if (internal) crashes.push(`internal error: ${internal.message}`);
          if (samples.length < 5 && r.config === undefined) samples.push(text);
        } catch (err) {
          crashes.push(`threw ${String(err)}`);
        }
      }
      v.sent += xmlRuns;
      v.check(crashes.length === 0, `descriptor parsing: ${crashes.length} crashes, e.g. ${crashes.slice(0, 3).join(' | ')}`);
      if (crashes.length > 0) v.errors['descriptor crash'] = crashes.length;
      // The CLI on a few mutated files: exit 0 or 1, one line per problem, no stack trace.
      const dir = await c.tempDir('fuzz');
      const cliRuns = quick ? 4 : 40;
      const files: string[] = [];
      for (let i = 0; i < cliRuns; i++) {
        const f = join(dir, `f${i}.xml`);
        await writeFile(f, mutateXml(rng, i % 2 === 0 ? SEED_HA : SEED_TOPOLOGY));
        files.push(f);
      }
      const cli = spawnSync(process.execPath, [...cliArgs(), 'descriptor', 'validate', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
      v.check(cli.status === 0 || cli.status === 1, `descriptor validate on fuzzed files exited ${String(cli.status)}: ${cli.stderr.slice(0, 300)}`);
      v.check(!/\n\s+at /.test(cli.stdout + cli.stderr), 'descriptor validate printed a stack trace');
      v.note(`descriptors: ${xmlRuns} mutated, ${rejected} rejected with diagnostics, 0 crashes expected (${crashes.length}); CLI validate on ${cliRuns} files exit ${String(cli.status)}`);

      // 2. Znode data, every format.
      const znodeRuns = quick ? 1500 : 15000;
      const badUrls: string[] = [];
      let produced = 0;
      for (const format of FORMATS) {
        const layout = layoutFor(format, 'ns');
        const parentPath = layout.kind === 'children' ? layout.paths[0] ?? '/ns' : layout.parentPath;
        for (let i = 0; i < znodeRuns; i++) {
          const children = Array.from({ length: 1 + int(rng, 4) }, () => randomChild(rng, format));
          if (layout.kind === 'node') children.splice(0, children.length, { ...children[0]!, name: layout.name });
          try {
            const r = parseZnodes(format, children, { parentPath });
            for (const b of r.backends) {
              produced++;
              const why = badUrlReason(b.url);
              if (why) badUrls.push(`${format}: ${JSON.stringify(b.url)} (${why})`);
            }
          } catch (err) {
            badUrls.push(`${format}: threw ${String(err)}`);
          }
        }
      }
      v.sent += znodeRuns * FORMATS.length;
      v.check(badUrls.length === 0, `znode formats produced ${badUrls.length} bad URLs or crashes, e.g. ${badUrls.slice(0, 4).join(' | ')}`);
      if (badUrls.length > 0) v.errors['bad znode URL'] = badUrls.length;
      v.note(`znodes: ${znodeRuns} random child sets × ${FORMATS.length} formats → ${produced} URLs, ${badUrls.length} bad`);

      // 3. Sticky cookies through a real gateway, unsigned (Knox hashes) and signed.
      const bs = await Promise.all(['b1', 'b2', 'b3'].map((n) => startBackend(n)));
      for (const b of bs) c.add(() => b.close());
      const urls = bs.map((b) => b.url);
      const key = Buffer.from('chaos-sticky-key-0123456789abcdef');
      const xml = haXml([{ name: 'WHOAMI', urls, attrs: { enableLoadBalancing: true, enableStickySession: true } }]);
      const cookieRuns = quick ? 600 : 6000;
      let misrouted = 0;
      let honoured = 0;
      const examples: string[] = [];
      for (const signed of [false, true]) {
        const gw = await startTestGateway({ xml: { [TOPOLOGY]: xml }, ...(signed ? { stickyKeys: { keys: [key], acceptKnoxCookies: false } } : {}) });
        c.add(() => gw.close());
        const token = (u: string): string => (signed ? createHmac('sha256', key).update(u).digest('hex') : createHash('sha256').update(u).digest('hex'));
        const plain = (u: string): string => createHash('sha256').update(u).digest('hex');
        const names = new Map(bs.map((b) => [token(b.url), b.name]));
        const randomValue = (): string => {
          const t = token(pick(rng, urls));
          switch (int(rng, 9)) {
            case 0: return t;
            case 1: return t.toUpperCase();
            case 2: return t.slice(0, 63);
            case 3: return `${t}0`;
            case 4: return t.slice(0, 10) + (t[10] === 'a' ? 'b' : 'a') + t.slice(11);
            case 5: return signed ? plain(pick(rng, urls)) : plain(`${pick(rng, urls)}/`);
            case 6: return `${randomString(rng, 64, HEX)}.${t}`;
            case 7: return ` ${t}`;
            default: return randomString(rng, int(rng, 100), HEX + 'g.-_');
          }
        };
        const one = async (): Promise<void> => {
          const value = randomValue();
          const r = await fetch(gw.base + `/${TOPOLOGY}/whoami`, { headers: { cookie: `KNOX_BACKEND-WHOAMI=${value}` } });
          await r.arrayBuffer();
          const backend = r.headers.get('x-backend');
          const setCookie = r.headers.get('set-cookie');
          // RFC 6265 §5.2: leading and trailing whitespace of a cookie value is not part of it.
          const named = names.get(value.trim());
          if (named !== undefined) {
            if (backend !== named) { misrouted++; examples.push(`${signed ? 'signed' : 'plain'} value naming ${named} went to ${String(backend)}`); } else honoured++;
          } else if (setCookie === null) {
            // Not re-issued: the gateway took the value as naming the backend that answered.
            misrouted++;
            examples.push(`${signed ? 'signed' : 'plain'} value ${JSON.stringify(value.slice(0, 80))} names no backend but was honoured (→ ${String(backend)})`);
          }
        };
        for (let i = 0; i < cookieRuns; i += 8) await Promise.all(Array.from({ length: 8 }, one));
        v.sent += cookieRuns;
        await gw.close();
      }
      v.check(misrouted === 0, `sticky cookies: ${misrouted} requests routed by a value that does not name the backend, e.g. ${examples.slice(0, 3).join(' | ')}`);
      if (misrouted > 0) v.errors['misrouted cookie'] = misrouted;
      v.note(`cookies: ${cookieRuns * 2} random values (plain and signed), ${honoured} exact tokens honoured, ${misrouted} misrouted`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
