/** Shared by the chaos test files: runs one scenario in quick mode and asserts it passed. */
import { expect } from 'chai';
import { SCENARIOS, NEEDS_ZOOKEEPER } from '../../scripts/chaos/index.js';
import { isZookeeperInstalled } from '../helpers/zk-server.js';

/** Per-scenario timeouts for the quick form (generous: the machine is shared). */
export const QUICK_TIMEOUT_MS: Readonly<Record<string, number>> = {
  'backend-kill': 60000, 'backend-hang': 45000, 'zk-deregister': 45000, 'zk-ensemble': 90000, 'zk-blackhole': 60000,
  'zk-down-restart': 60000, 'reload-storm': 45000, 'hostile-http': 60000, 'fuzz-inputs': 45000, 'two-gateways': 45000,
};

/** Defines one `it` that runs scenario `name` quickly and asserts every check passed. */
export function itPasses(name: string, behaviour: string): void {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no chaos scenario ${name}`);
  it(`${name}: ${behaviour}`, async function () {
    this.timeout(QUICK_TIMEOUT_MS[name] ?? 60000);
    if (NEEDS_ZOOKEEPER.has(name) && !isZookeeperInstalled()) {
      if (process.env['CI']) throw new Error('ZooKeeper is not installed');
      process.stderr.write(`note: ZooKeeper not installed; skipping chaos scenario ${name}\n`);
      this.skip();
    }
    const r = await scenario.run({ quick: true });
    expect(r.failures, `${name}: ${r.failures.join('; ')}\nnotes: ${r.notes.join('; ')}`).to.deep.equal([]);
    expect(r.goneHits).to.equal(0);
  });
}
