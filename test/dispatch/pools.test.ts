import { expect } from 'chai';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Client } from 'undici';
import { createUpstreamPools, poolRegistryOf, type OriginPool } from '../../lib/dispatch/pools.js';
import type { UpstreamPools } from '../../lib/dispatch/types.js';
import { parseTarget, type Target } from '../../lib/dispatch/targets.js';
import { eventually } from '../helpers/eventually.js';

/** A backend that counts the connections it accepted and can hold its answers. */
interface CountingBackend {
  readonly url: string;
  readonly connections: number;
  readonly sockets: Set<Socket>;
  /** Answers held while `holding` is true. */
  readonly held: ServerResponse[];
  holding: boolean;
  close(): Promise<void>;
}

async function startCounting(): Promise<CountingBackend> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const backend: CountingBackend = {
    url: '', get connections() { return connections; }, sockets, held: [], holding: false,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
  const server: Server = createServer((_req, res) => {
    if (backend.holding) backend.held.push(res);
    else res.end('ok');
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(backend, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/** One request on a client from `pool`, handed back when its body has been read. */
async function get(pool: OriginPool): Promise<{ status: number; body: string; client: Client }> {
  const client = pool.acquire();
  try {
    const res = await client.request({ path: '/', method: 'GET' });
    return { status: res.statusCode, body: await res.body.text(), client };
  } finally {
    pool.release(client);
  }
}

describe('dispatch/pools: keep-alive connections per origin', () => {
  let backend: CountingBackend;
  let pools: UpstreamPools;
  let target: Target;
  beforeEach(async () => {
    backend = await startCounting();
    pools = createUpstreamPools({ idleSweepMs: 0 });
    target = parseTarget(`${backend.url}/base`) as Target;
  });
  afterEach(async () => {
    await pools.close();
    await backend.close();
  });

  it('reuses one connection for sequential requests and counts what is in flight', async () => {
    const pool = poolRegistryOf(pools).forTarget(target, 1000);
    const clients = new Set<Client>();
    for (let i = 0; i < 5; i++) {
      const r = await get(pool);
      expect([r.status, r.body]).to.deep.equal([200, 'ok']);
      clients.add(r.client);
    }
    expect([clients.size, backend.connections, pool.busy, pool.size]).to.deep.equal([1, 1, 0, 1]);
  });

  it('opens one connection per concurrent request, then reuses them all', async () => {
    const pool = poolRegistryOf(pools).forTarget(target, 1000);
    backend.holding = true;
    const first = Array.from({ length: 4 }, () => get(pool));
    await eventually(() => expect(backend.held).to.have.length(4));
    expect(pool.busy).to.equal(4);
    backend.holding = false;
    for (const res of backend.held.splice(0)) res.end('ok');
    await Promise.all(first);
    await Promise.all(Array.from({ length: 4 }, () => get(pool)));
    expect([backend.connections, pool.size, pool.busy]).to.deep.equal([4, 4, 0]);
  });

  it('a client whose connection the backend closed connects again', async () => {
    const pool = poolRegistryOf(pools).forTarget(target, 1000);
    const before = await get(pool);
    for (const s of backend.sockets) s.destroy();
    await eventually(() => expect(backend.sockets.size).to.equal(0));
    const after = await get(pool);
    expect([after.status, after.client === before.client, backend.connections]).to.deep.equal([200, true, 2]);
  });

  it('caches the pool on the target, and gives a different connect timeout its own pool', () => {
    const registry = poolRegistryOf(pools);
    const pool = registry.forTarget(target, 1000);
    expect(registry.forTarget(target, 1000)).to.equal(pool);
    expect(registry.get(backend.url, 1000)).to.equal(pool);
    const other = registry.forTarget(target, 2000);
    expect(other).not.to.equal(pool);
    expect(other.connectTimeoutMs).to.equal(2000);
  });

  it('after close(), acquire throws UND_ERR_CLOSED and a client handed back is destroyed', async () => {
    const pool = poolRegistryOf(pools).forTarget(target, 1000);
    await get(pool);
    const late = pool.acquire();
    await pools.close();
    expect(() => pool.acquire()).to.throw().with.property('code', 'UND_ERR_CLOSED');
    expect(() => poolRegistryOf(pools).get(backend.url, 1000)).to.throw().with.property('code', 'UND_ERR_CLOSED');
    pool.release(late);
    await eventually(() => expect(late.destroyed).to.equal(true));
    await eventually(() => expect(backend.sockets.size).to.equal(0));
  });

  it('rejects objects that do not come from createUpstreamPools()', () => {
    expect(() => poolRegistryOf({ close: async () => undefined })).to.throw(TypeError);
  });
});

describe('dispatch/pools: idle sweep', () => {
  it('forgets the idle clients whose connection closed while the pool stays in use', async () => {
    const backend = await startCounting();
    const pools = createUpstreamPools({ idleSweepMs: 50 });
    try {
      const target = parseTarget(backend.url) as Target;
      const pool = poolRegistryOf(pools).forTarget(target, 1000);
      backend.holding = true;
      const burst = Array.from({ length: 3 }, () => get(pool));
      await eventually(() => expect(backend.held).to.have.length(3));
      backend.holding = false;
      backend.held.splice(0).forEach((res) => res.end('ok'));
      await Promise.all(burst);
      expect(pool.size).to.equal(3);
      // The backend closes every idle connection; steady traffic reconnects the client on top of
      // the idle stack (and keeps the pool in use), a sweep forgets the two below it.
      for (const socket of backend.sockets) socket.destroy();
      await eventually(async () => {
        expect((await get(pool)).status).to.equal(200);
        expect(pool.size).to.equal(1);
      }, 3000, 40);
      expect(poolRegistryOf(pools).forTarget(target, 1000)).to.equal(pool);
      expect([backend.connections, backend.sockets.size]).to.deep.equal([4, 1]);
    } finally {
      await pools.close();
      await backend.close();
    }
  });

  it('closes a pool that served nothing for a whole interval, never one with requests in flight', async () => {
    const backend = await startCounting();
    const pools = createUpstreamPools({ idleSweepMs: 40 });
    try {
      const registry = poolRegistryOf(pools);
      const target = parseTarget(backend.url) as Target;
      const busy = registry.forTarget(target, 1000);
      backend.holding = true;
      const pending = get(busy);
      await eventually(() => expect(backend.held).to.have.length(1));
      await new Promise((r) => setTimeout(r, 150));
      expect(registry.forTarget(target, 1000)).to.equal(busy);
      backend.holding = false;
      backend.held.splice(0).forEach((res) => res.end('ok'));
      await pending;
      await eventually(() => expect(registry.forTarget(target, 1000)).not.to.equal(busy), 2000);
      await eventually(() => expect(backend.sockets.size).to.equal(0));
      // The swept pool's clients were closed; the new pool connects afresh.
      expect((await get(registry.forTarget(target, 1000))).status).to.equal(200);
    } finally {
      await pools.close();
      await backend.close();
    }
  });
});
