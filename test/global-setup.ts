/**
 * Mocha global fixture: starts one real ZooKeeper for the whole run (unless HAD_TEST_ZK already
 * names one) and always stops it. Tests read its address from HAD_TEST_ZK. It also holds the demo
 * backends' fixed ports until the `npm start` test needs them (see helpers/demo-ports.ts).
 */
import { startZkServer, isZookeeperInstalled, type ZkServer } from './helpers/zk-server.js';
import { releaseDemoPorts, reserveDemoPorts } from './helpers/demo-ports.js';

let server: ZkServer | undefined;

// Set before any spec file is loaded, so lib/core/log.ts starts silent even under a bare `npx mocha`.
process.env['HAD_TEST'] = '1';

export async function mochaGlobalSetup(): Promise<void> {
  process.env['HAD_TEST'] = '1';
  await reserveDemoPorts();
  if (process.env['HAD_TEST_ZK']) return;
  if (!isZookeeperInstalled()) {
    if (process.env['CI']) throw new Error('ZooKeeper is not installed: the Debian package `zookeeper` is required (scripts/test.sh installs it as root)');
    process.stderr.write('note: ZooKeeper (Debian package `zookeeper`) is not installed; ZooKeeper tests will be skipped\n');
    return;
  }
  server = await startZkServer();
  process.env['HAD_TEST_ZK'] = server.connectString;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await releaseDemoPorts();
  await server?.destroy();
}
