/**
 * Reloads: builds the next registry completely, swaps one reference, then closes the sources the
 * old registry used alone. Reloads run one at a time, in order.
 */
import { childLogger, errFields, type TopologyConfig } from '../core/index.js';
import { buildRegistry, type Registry, type RegistryDeps } from './registry.js';
import { loadTopologies } from './load-topologies.js';
import type { LoadFailure, ReloadResult } from './types.js';

const log = childLogger('gateway');

/** What is in force now. Replaced whole on each reload. */
export interface GatewayState {
  readonly registry: Registry;
  readonly configs: readonly TopologyConfig[];
  readonly failures: readonly LoadFailure[];
}

/** Serialised reloads over a state cell. */
export interface Reloader {
  reload(topologies?: readonly TopologyConfig[]): Promise<ReloadResult>;
  /** Resolves when the reload in progress (if any) has finished. */
  idle(): Promise<void>;
}

/** Creates the reloader; `get`/`set` read and swap the state cell. */
export function createReloader(
  dir: string | undefined, deps: RegistryDeps, get: () => GatewayState, set: (s: GatewayState) => void,
): Reloader {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    reload(topologies) {
      const run = chain.then(() => reloadOnce(dir, topologies, deps, get, set));
      chain = run.catch(() => undefined);
      return run;
    },
    async idle() { await chain; },
  };
}

async function reloadOnce(
  dir: string | undefined, given: readonly TopologyConfig[] | undefined, deps: RegistryDeps,
  get: () => GatewayState, set: (s: GatewayState) => void,
): Promise<ReloadResult> {
  const prev = get();
  let topologies: readonly TopologyConfig[] = given ?? prev.configs;
  let failures: readonly LoadFailure[] = [];
  if (given === undefined && dir !== undefined) {
    try {
      ({ topologies, failures } = await loadTopologies(dir, prev.configs));
    } catch (err) {
      log.error('descriptor folder not reloaded', { dir, ...errFields(err) });
      return summarise(prev.configs, prev.configs, [{ file: dir, message: (err as Error).message }]);
    }
  }
  const { registry, retired } = buildRegistry(prev.registry, topologies, deps);
  set({ registry, configs: topologies, failures });
  for (const r of retired) {
    r.unsubscribe();
    await r.source.close().catch((err: unknown) => log.warn('backend source close failed', errFields(err)));
  }
  const result = summarise(prev.configs, topologies, failures);
  log.info('descriptors reloaded', {
    topologies: result.topologies, services: result.services, added: result.added.length,
    removed: result.removed.length, changed: result.changed.length, failed: failures.length,
  });
  return result;
}

/** Counts and the names of added, removed and changed topologies. */
export function summarise(before: readonly TopologyConfig[], after: readonly TopologyConfig[], failures: readonly LoadFailure[]): ReloadResult {
  const old = new Map(before.map((t) => [t.name, JSON.stringify(t.services)]));
  const now = new Set(after.map((t) => t.name));
  const added: string[] = [];
  const changed: string[] = [];
  for (const t of after) {
    const was = old.get(t.name);
    if (was === undefined) added.push(t.name);
    else if (was !== JSON.stringify(t.services)) changed.push(t.name);
  }
  return {
    topologies: after.length,
    services: after.reduce((n, t) => n + t.services.length, 0),
    added,
    removed: before.filter((t) => !now.has(t.name)).map((t) => t.name),
    changed,
    failures,
  };
}
