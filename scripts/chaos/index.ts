/** Every chaos scenario, in the order the runner runs them. */
import type { Scenario } from './_lib/types.js';
import { scenario as backendKill } from './backend-kill.js';
import { scenario as backendHang } from './backend-hang.js';
import { scenario as reloadStorm } from './reload-storm.js';
import { scenario as hostileHttp } from './hostile-http.js';
import { scenario as fuzzInputs } from './fuzz-inputs.js';
import { scenario as zkDeregister } from './zk-deregister.js';
import { scenario as zkBlackhole } from './zk-blackhole.js';
import { scenario as zkDownRestart } from './zk-down-restart.js';
import { scenario as twoGateways } from './two-gateways.js';

export const SCENARIOS: readonly Scenario[] = [
  backendKill,
  backendHang,
  zkDeregister,
  zkBlackhole,
  zkDownRestart,
  reloadStorm,
  hostileHttp,
  fuzzInputs,
  twoGateways,
];
