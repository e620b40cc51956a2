/**
 * A TCP proxy on 127.0.0.1 for failure tests: forwards to `targetPort` until told otherwise.
 * `blackhole()` keeps every socket open but stops forwarding bytes (existing and new connections),
 * `cut()` destroys every connection and refuses new ones, `heal()` forwards new connections again
 * (connections black-holed earlier stay dead, as they would after a real network partition).
 */
import { createServer, connect, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  readonly port: number;
  readonly connectString: string;
  blackhole(): void;
  cut(): void;
  heal(): void;
  /** Open client connections right now. */
  connections(): number;
  close(): Promise<void>;
}

type Mode = 'forward' | 'blackhole' | 'cut';

interface Pair { client: Socket; upstream: Socket | undefined; dead: boolean }

/** Starts a proxy to 127.0.0.1:`targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: Mode = 'forward';
  const pairs = new Set<Pair>();
  const server = createServer((client) => {
    if (mode === 'cut') { client.destroy(); return; }
    const pair: Pair = { client, upstream: undefined, dead: mode === 'blackhole' };
    pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => { pairs.delete(pair); pair.upstream?.destroy(); });
    if (pair.dead) { client.resume(); return; }
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => { if (!pair.dead) client.destroy(); });
    upstream.on('data', (d) => { if (!pair.dead) client.write(d); });
    client.on('data', (d) => { if (!pair.dead) upstream.write(d); });
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    blackhole() {
      mode = 'blackhole';
      for (const p of pairs) p.dead = true;
    },
    cut() {
      mode = 'cut';
      for (const p of pairs) { p.dead = true; p.client.destroy(); p.upstream?.destroy(); }
    },
    heal() { mode = 'forward'; },
    connections: () => pairs.size,
    async close() {
      for (const p of pairs) { p.client.destroy(); p.upstream?.destroy(); }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
