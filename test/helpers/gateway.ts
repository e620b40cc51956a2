/**
 * Starts the real gateway on 127.0.0.1:0 for a test, from XML strings (written to a temporary
 * descriptor folder) or ready-made TopologyConfigs, optionally with the admin listener.
 * `closeTestGateways()` (use it in `afterEach`) closes every one still open and removes its folder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import type { TopologyConfig } from '../../lib/core/index.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../lib/gateway/index.js';
import { startAdmin, createLocalOps, type AdminServer } from '../../lib/admin/index.js';

/** Options: `xml` maps topology name → descriptor text; everything else goes to startGateway. */
export type TestGatewayOptions = Partial<Omit<GatewayOptions, 'descriptorsDir' | 'topologies'>> & {
  readonly xml?: Readonly<Record<string, string>>;
  readonly topologies?: readonly TopologyConfig[];
  /** Start the admin listener on an ephemeral port. */
  readonly admin?: boolean;
};

/** A running test gateway. */
export interface TestGateway {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** url + '/gateway' (or the configured gateway path). */
  readonly base: string;
  readonly adminUrl: string | undefined;
  readonly gateway: Gateway;
  /** The temporary descriptor folder (XML mode only). */
  readonly dir: string | undefined;
  /** Writes (or replaces) `NAME.xml` in the descriptor folder. */
  writeDescriptor(name: string, xml: string): Promise<void>;
  close(): Promise<void>;
}

const open = new Set<TestGateway>();

/** Starts a gateway; see {@link TestGatewayOptions}. */
export async function startTestGateway(opts: TestGatewayOptions): Promise<TestGateway> {
  const { xml, topologies, admin: withAdmin, ...rest } = opts;
  let dir: string | undefined;
  if (xml !== undefined || topologies === undefined) {
    dir = await mkdtemp(join(tmpdir(), 'had-gw-'));
    for (const [name, text] of Object.entries(xml ?? {})) await writeFile(join(dir, `${name}.xml`), text);
  }
  const options: GatewayOptions = {
    host: '127.0.0.1', port: 0, shutdownTimeoutMs: 3000, reloadDebounceMs: 50, watchDescriptors: false,
    ...rest,
    ...(dir !== undefined ? { descriptorsDir: dir } : { topologies: topologies ?? [] }),
  };
  let gateway: Gateway;
  try {
    gateway = await startGateway(options);
  } catch (err) {
    if (dir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let admin: AdminServer | undefined;
  if (withAdmin) admin = await startAdmin(createLocalOps(gateway), { port: 0 });
  let closed: Promise<void> | undefined;
  const tg: TestGateway = {
    url: gateway.url,
    base: `${gateway.url}/${gateway.gatewayPath}`,
    adminUrl: admin?.url,
    gateway,
    dir,
    async writeDescriptor(name, text) {
      if (dir === undefined) throw new Error('writeDescriptor needs a gateway started from XML');
      await writeFile(join(dir, `${name}.xml`), text);
    },
    close() {
      open.delete(tg);
      closed ??= (async () => {
        await gateway.close();
        await admin?.close();
        if (dir) await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
  open.add(tg);
  return tg;
}

/** Closes every test gateway still open (for `afterEach`). */
export async function closeTestGateways(): Promise<void> {
  await Promise.all([...open].map((g) => g.close()));
}

/** An `<ha>` descriptor with one `<service>` per entry: attributes and static URLs. */
export function haXml(services: readonly { readonly name: string; readonly urls?: readonly string[]; readonly attrs?: Readonly<Record<string, string | number | boolean>> }[]): string {
  const body = services.map((s) => {
    const attrs = Object.entries(s.attrs ?? {}).map(([k, v]) => ` ${k}="${String(v)}"`).join('');
    const urls = (s.urls ?? []).map((u) => `\n    <url>${u}</url>`).join('');
    return `  <service name="${s.name}"${attrs}>${urls}\n  </service>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ha>\n${body}\n</ha>\n`;
}

/* Raw HTTP, for requests a client library would refuse to send. */

/** The raw response text (status line, headers, body) until the server closes or `timeoutMs`. */
export function rawRequest(port: number, bytes: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let out = '';
    socket.setTimeout(timeoutMs, () => { socket.destroy(); resolve(out); });
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d) => { out += d.toString('latin1'); });
    socket.on('end', () => { socket.destroy(); resolve(out); });
    socket.on('close', () => resolve(out));
    socket.on('error', (err) => (out ? resolve(out) : reject(err)));
  });
}

/** The status code of a raw response, or 0. */
export function statusOf(raw: string): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  return m ? Number(m[1]) : 0;
}
