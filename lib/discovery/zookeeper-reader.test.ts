import { expect } from 'chai';
import { layoutFor } from './formats/index.js';
import type { ZkClient, ZkWatcher, ZkWatchEvent } from './zookeeper-client.js';
import { createZnodeReader } from './zookeeper-reader.js';

/** An in-memory stand-in for a connected client: counts calls and keeps one-shot watches like ZooKeeper. */
function fakeZk(nodes: Map<string, string>) {
  const calls = { getChildren: 0, getData: 0, exists: 0 };
  const dataWatches = new Map<string, ZkWatcher>();
  const childWatches = new Map<string, ZkWatcher>();
  let gate: Promise<void> | undefined;
  const fire = (watches: Map<string, ZkWatcher>, event: ZkWatchEvent): void => {
    const w = watches.get(event.path);
    watches.delete(event.path);
    w?.(event);
  };
  const parentOf = (p: string): string => p.slice(0, p.lastIndexOf('/')) || '/';
  const client = {
    async getChildren(path: string, watcher?: ZkWatcher) {
      calls.getChildren++;
      if (watcher) childWatches.set(path, watcher);
      const prefix = path === '/' ? '/' : `${path}/`;
      return [...nodes.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/')).map((k) => k.slice(prefix.length));
    },
    async getData(path: string, watcher?: ZkWatcher) {
      calls.getData++;
      // As the server does: the answer and the watch are taken at once; the answer may arrive later.
      const value = nodes.get(path);
      if (value !== undefined && watcher) dataWatches.set(path, watcher);
      await gate;
      return value === undefined ? undefined : { data: Buffer.from(value) };
    },
    async exists(path: string) { calls.exists++; return nodes.has(path) ? { ephemeralOwner: '0' } : undefined; },
  } as unknown as ZkClient;
  return {
    client, calls,
    /** Holds every getData answer until the returned function is called. */
    hold(): () => void { let release!: () => void; gate = new Promise((r) => { release = r; }); return () => { gate = undefined; release(); }; },
    set(path: string, value: string): void {
      const existed = nodes.has(path);
      nodes.set(path, value);
      if (existed) fire(dataWatches, { type: 'data', path });
      else fire(childWatches, { type: 'children', path: parentOf(path) });
    },
    remove(path: string): void {
      nodes.delete(path);
      fire(dataWatches, { type: 'deleted', path });
      fire(childWatches, { type: 'children', path: parentOf(path) });
    },
  };
}

const names = (r: { children: readonly { name: string }[] }): string[] => r.children.map((c) => c.name).sort();

describe('znode reader: watches and cached child data', () => {
  const layout = layoutFor('url', 'svc');
  const initial = (): Map<string, string> => new Map(Array.from({ length: 100 }, (_, i) => [`/svc/n${i}`, `http://h${i}:1`]));

  it('reads every child once, then only the child list and the children whose data watch fired', async () => {
    const zk = fakeZk(initial());
    let changes = 0;
    const reader = createZnodeReader(layout, () => { changes++; });
    const first = await reader.read(zk.client);
    expect(first.children).to.have.length(100);
    expect(zk.calls).to.deep.include({ getChildren: 1, getData: 100 });

    const again = await reader.read(zk.client);
    expect(zk.calls).to.deep.include({ getChildren: 2, getData: 100 });
    // Unchanged children are the very same objects (the parser recognises them by identity).
    const byName = new Map(first.children.map((c) => [c.name, c]));
    expect(again.children.every((c) => byName.get(c.name) === c)).to.equal(true);

    zk.set('/svc/new', 'http://new:1');
    expect(changes).to.equal(1);
    const added = await reader.read(zk.client);
    expect(added.children).to.have.length(101);
    expect(zk.calls).to.deep.include({ getChildren: 3, getData: 101 });

    zk.set('/svc/n5', 'http://changed:1');
    expect(changes).to.equal(2);
    const changed = await reader.read(zk.client);
    expect(changed.children.find((c) => c.name === 'n5')?.data?.toString()).to.equal('http://changed:1');
    expect(zk.calls).to.deep.include({ getChildren: 4, getData: 102 });
  });

  it('a deleted child asks for one read (its parent\'s child watch), not two, and costs no getData', async () => {
    const zk = fakeZk(initial());
    let changes = 0;
    const reader = createZnodeReader(layout, () => { changes++; });
    await reader.read(zk.client);
    zk.remove('/svc/n7');
    expect(changes).to.equal(1);
    const r = await reader.read(zk.client);
    expect(names(r)).not.to.include('n7');
    expect(r.children).to.have.length(99);
    expect(zk.calls).to.deep.include({ getChildren: 2, getData: 100 });
    // Re-created under the same name: its data is read again, not taken from a stale cache.
    zk.set('/svc/n7', 'http://again:1');
    const back = await reader.read(zk.client);
    expect(back.children.find((c) => c.name === 'n7')?.data?.toString()).to.equal('http://again:1');
  });

  it('does not keep data whose watch fired while it was being read', async () => {
    const zk = fakeZk(new Map([['/svc/a', 'http://a:1']]));
    const reader = createZnodeReader(layout, () => undefined);
    const release = zk.hold();
    const reading = reader.read(zk.client);
    await new Promise((r) => setImmediate(r));
    zk.set('/svc/a', 'http://a2:1'); // the watch set by the held getData fires before its answer is used
    release();
    await reading;
    const next = await reader.read(zk.client);
    expect(next.children[0]?.data?.toString()).to.equal('http://a2:1');
    expect(zk.calls.getData).to.equal(2);
  });

  it('reads every child again with a new client (new session), not on a reconnection of the same one', async () => {
    const nodes = initial();
    const zk = fakeZk(nodes);
    const reader = createZnodeReader(layout, () => undefined);
    await reader.read(zk.client);
    await reader.read(zk.client);
    expect(zk.calls.getData).to.equal(100);
    const other = fakeZk(nodes);
    await reader.read(other.client);
    expect(other.calls.getData).to.equal(100);
  });

  it('the znode of a node layout (atlas) asks for a read when it is deleted', async () => {
    const zk = fakeZk(new Map([['/apache_atlas/active_server_info', 'http://atlas:21000']]));
    let changes = 0;
    const reader = createZnodeReader(layoutFor('atlas', undefined), () => { changes++; });
    expect((await reader.read(zk.client)).children).to.have.length(1);
    zk.remove('/apache_atlas/active_server_info');
    expect(changes).to.equal(1);
    expect((await reader.read(zk.client)).children).to.have.length(0);
  });
});
