/**
 * ZooKeeper helpers for the discovery tests: a private chroot per test on the shared server
 * (HAD_TEST_ZK), deleted recursively afterwards (the library's removeRecursive only goes one level).
 */
import { randomBytes } from 'node:crypto';
import { createZkClient, type ZkClient } from '../../lib/discovery/index.js';

/** The shared test server, or undefined (then the caller skips, except in CI). */
export function testZk(): string | undefined {
  const zk = process.env['HAD_TEST_ZK'];
  if (!zk && process.env['CI']) throw new Error('HAD_TEST_ZK is not set in CI');
  return zk;
}

/** Skips the suite with a clear message when no ZooKeeper is available (never in CI). */
export function requireZk(ctx: Mocha.Context): string {
  const zk = testZk();
  if (!zk) {
    process.stderr.write('note: HAD_TEST_ZK is not set (ZooKeeper not installed); skipping ZooKeeper discovery tests\n');
    ctx.skip();
  }
  return zk!;
}

/** A connected admin client (no chroot) with short timeouts. */
export async function adminClient(connectString: string): Promise<ZkClient> {
  const c = createZkClient(connectString, { sessionTimeoutMs: 4000, callTimeoutMs: 4000 });
  await c.whenConnected(5000);
  return c;
}

/** Deletes `path` and everything below it. */
export async function removeTree(client: ZkClient, path: string): Promise<void> {
  const children = (await client.getChildren(path)) ?? [];
  await Promise.all(children.map((name) => removeTree(client, path === '/' ? `/${name}` : `${path}/${name}`)));
  await client.remove(path);
}

/** A fresh chroot `/had-test-<random>` with an admin client rooted in it; `cleanup()` deletes it. */
export interface Chroot {
  readonly path: string;
  /** `server/had-test-…`: the ensemble string services use. */
  readonly ensemble: string;
  /** Admin client inside the chroot. */
  readonly zk: ZkClient;
  cleanup(): Promise<void>;
}

/** Creates a chroot on `server` (default HAD_TEST_ZK). */
export async function makeChroot(server: string): Promise<Chroot> {
  const path = `/had-test-${randomBytes(6).toString('hex')}`;
  const root = await adminClient(server);
  await root.mkdirp(path);
  const zk = await adminClient(`${server}${path}`);
  return {
    path,
    ensemble: `${server}${path}`,
    zk,
    async cleanup() {
      await zk.close(200);
      await removeTree(root, path).catch(() => undefined);
      await root.close(200);
    },
  };
}

/** Puts `data` at `path` (creating parents), as a persistent or ephemeral znode. */
export async function put(client: ZkClient, path: string, data: string, mode: 'persistent' | 'ephemeral' | 'ephemeral-sequential' = 'persistent'): Promise<string> {
  const parent = path.slice(0, path.lastIndexOf('/'));
  if (parent !== '') await client.mkdirp(parent);
  return client.create(path, Buffer.from(data), mode);
}
