/** `startGateway`: the composition root wiring descriptors, discovery, balancing and dispatch. */
import type { Http1Server } from '../http1/index.js';
import type { AddressInfo } from 'node:net';
import { ConfigError, DescriptorError, HaError, childLogger, type TopologyConfig } from '../core/index.js';
import { createDiscovery } from '../discovery/index.js';
import { createTrafficState, createUpstreamPools, type TrafficState } from '../dispatch/index.js';
import { loadDescriptorDir } from '../descriptor/index.js';
import { buildRegistry, EMPTY_REGISTRY, type Registry, type RegistryDeps } from './registry.js';
import { describeFailure } from './load-topologies.js';
import { createReloader, summarise, type GatewayState } from './reloader.js';
import { createListener } from './http-server.js';
import { createRequestHandler } from './request-handler.js';
import { closeGracefully, DEFAULT_SHUTDOWN_TIMEOUT_MS } from './graceful-close.js';
import { watchDescriptors } from './descriptor-watch.js';
import { createView } from './view.js';
import type { Gateway, GatewayOptions } from './types.js';

const log = childLogger('gateway');

/** Defaults of {@link GatewayOptions}. */
export const DEFAULT_GATEWAY_HOST = '127.0.0.1';
export const DEFAULT_GATEWAY_PORT = 8443;
export const DEFAULT_GATEWAY_PATH = 'gateway';
export const DEFAULT_RELOAD_DEBOUNCE_MS = 200;

/** Parts that live as long as the gateway. */
interface Parts {
  readonly options: GatewayOptions;
  readonly deps: RegistryDeps;
  readonly server: Http1Server;
  readonly traffic: TrafficState;
  readonly cell: { state: GatewayState };
}

/**
 * Loads the descriptors, binds the listener, then starts discovery, and resolves once it accepts
 * connections. The listener is bound before discovery starts, so a start-up failure (address in
 * use, bad host) is fast and leaves nothing to shut down (no ZooKeeper session opened and closed).
 * Throws DescriptorError (HAD_ERR_DESCRIPTOR_INVALID) naming the file when a descriptor is broken
 * at start, ConfigError (HAD_ERR_CONFIG_INVALID) for bad options, unreadable TLS files or an
 * address that cannot be listened on. Nothing is left running when it throws.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const gatewayPath = checkGatewayPath(options.gatewayPath ?? DEFAULT_GATEWAY_PATH);
  if ((options.descriptorsDir === undefined) === (options.topologies === undefined)) {
    throw new ConfigError('startGateway: give exactly one of descriptorsDir and topologies');
  }
  const configs = options.topologies ?? await loadInitial(options.descriptorsDir ?? '');
  const traffic = createTrafficState();
  const cell = { state: { registry: EMPTY_REGISTRY, configs: [], failures: [] } as GatewayState };
  const server = createListener(options, createRequestHandler(`/${gatewayPath}/`, () => cell.state.registry, traffic));
  // The registry is built in the microtask right after `listening`: no request is handled before it.
  await listen(server, options.port ?? DEFAULT_GATEWAY_PORT, options.host ?? DEFAULT_GATEWAY_HOST);
  let deps: RegistryDeps | undefined;
  try {
    deps = createDeps(options, gatewayPath, traffic);
    cell.state = { registry: buildRegistry(EMPTY_REGISTRY, configs, deps).registry, configs, failures: [] };
    return assemble({ options, deps, server, traffic, cell });
  } catch (err) {
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    if (deps !== undefined) await closeRuntime(cell.state.registry, deps);
    throw err;
  }
}

/** Discovery and the upstream pools: started only once the listener is bound. */
function createDeps(options: GatewayOptions, gatewayPath: string, traffic: TrafficState): RegistryDeps {
  const discovery = createDiscovery({
    ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
    ...(options.zkSessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.zkSessionTimeoutMs } : {}),
  });
  return {
    discovery, pools: createUpstreamPools(), gatewayPath, tls: options.tls !== undefined,
    stickyKeys: options.stickyKeys, coolDownMs: options.coolDownMs, traffic,
  };
}

function assemble(parts: Parts): Gateway {
  const { options, deps, server, traffic, cell } = parts;
  const reloader = createReloader(options.descriptorsDir, deps, () => cell.state, (s) => { cell.state = s; });
  const reloadQuietly = (): void => { void reloader.reload().catch((err: unknown) => log.error('reload failed', { err: String(err) })); };
  const watch = options.descriptorsDir !== undefined && options.watchDescriptors !== false
    ? watchDescriptors(options.descriptorsDir, options.reloadDebounceMs ?? DEFAULT_RELOAD_DEBOUNCE_MS, reloadQuietly)
    : undefined;
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${hostForUrl(options.host ?? DEFAULT_GATEWAY_HOST)}:${port}`;
  const services = cell.state.configs.reduce((n, t) => n + t.services.length, 0);
  log.debug('gateway listening', { url, gatewayPath: deps.gatewayPath, topologies: cell.state.configs.length, services });
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    gatewayPath: deps.gatewayPath,
    view: createView(() => cell.state, deps.discovery, () => traffic.closing),
    // A reload racing shutdown (SIGHUP, a file event) changes nothing: sources are being closed.
    reload: (topologies) => (traffic.closing
      ? Promise.resolve(summarise(cell.state.configs, cell.state.configs, cell.state.failures))
      : reloader.reload(topologies)),
    close() {
      closing ??= (async () => {
        watch?.close();
        await closeGracefully(server, traffic, options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
        await reloader.idle();
        await closeRuntime(cell.state.registry, deps);
        log.info('gateway stopped', { url });
      })();
      return closing;
    },
  };
}

/**
 * Loads the folder at start: any broken file is an error naming it (the CLI exits 1 with it as its
 * one stderr line, so several broken files are listed on that line, separated by `; `).
 */
async function loadInitial(dir: string): Promise<readonly TopologyConfig[]> {
  const { topologies, failures } = await loadDescriptorDir(dir);
  const first = failures[0];
  if (first !== undefined) {
    const each = failures.map((f) => describeFailure(f.file, f.error).replace(/\s*\n\s*/g, ' '));
    const message = each.length === 1 ? each[0] as string : `${each.length} descriptors are broken: ${each.join('; ')}`;
    if (failures.length === 1 && first.error instanceof HaError && message === first.error.message) throw first.error;
    const diagnostics = failures.flatMap((f) => (f.error instanceof DescriptorError ? f.error.diagnostics : []));
    throw new DescriptorError(message, diagnostics, { cause: first.error });
  }
  if (topologies.length === 0) log.warn('no descriptors found', { dir });
  return topologies;
}

/** Closes every source of `registry`, then discovery and the upstream pools. Never rejects. */
async function closeRuntime(registry: Registry, deps: RegistryDeps): Promise<void> {
  const closing: Promise<unknown>[] = [];
  for (const topo of registry.topologies.values()) {
    for (const entry of topo.services.values()) {
      if (entry.kind !== 'active') continue;
      entry.unsubscribe();
      closing.push(entry.source.close());
    }
  }
  await Promise.allSettled(closing);
  await Promise.allSettled([deps.discovery.close(), deps.pools.close()]);
}

function listen(server: Http1Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error & { code?: string }): void => {
      reject(new ConfigError(`${host}:${port}: cannot listen: ${err.code ?? err.message}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => { server.off('error', onError); resolve(); });
  });
}

/** `gateway` or `a/b`-free segment; leading/trailing slashes are dropped. */
function checkGatewayPath(raw: string): string {
  const path = raw.replace(/^\/+|\/+$/g, '');
  if (path === '' || path.includes('/') || path === '.' || path === '..' || path.includes('%') || path.includes('\\')) {
    throw new ConfigError(`gateway path must be one non-empty path segment, got "${raw}"`);
  }
  return path;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
