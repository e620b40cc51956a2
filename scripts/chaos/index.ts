/** Every chaos scenario, in the order of issue #7 (the runner runs them in this order). */
import type { Scenario } from './_lib/types.js';
import { scenario as backendKill } from './backend-kill.js';
import { scenario as backendHang } from './backend-hang.js';
import { scenario as zkDeregister } from './zk-deregister.js';
import { scenario as zkEnsemble } from './zk-ensemble.js';
import { scenario as zkBlackhole } from './zk-blackhole.js';
import { scenario as zkDownRestart } from './zk-down-restart.js';
import { scenario as reloadStorm } from './reload-storm.js';
import { scenario as hostileHttp } from './hostile-http.js';
import { scenario as fuzzInputs } from './fuzz-inputs.js';
import { scenario as twoGateways } from './two-gateways.js';

export const SCENARIOS: readonly Scenario[] = [
  backendKill, backendHang, zkDeregister, zkEnsemble, zkBlackhole, zkDownRestart, reloadStorm, hostileHttp, fuzzInputs, twoGateways,
];

/** Scenarios that need a real ZooKeeper (Debian package `zookeeper`). */
export const NEEDS_ZOOKEEPER: ReadonlySet<string> = new Set([zkDeregister.name, zkEnsemble.name, zkBlackhole.name, zkDownRestart.name]);
