/**
 * A minimal gateway for dispatch tests: the gateway's HTTP/1.1 server on 127.0.0.1:0 that sends every request
 * to one real ServiceDispatcher (real balancer, real undici pools). Paths under
 * `/{gatewayPath}/{topology}/{service.path}` have that prefix removed (`rest`); other paths are
 * forwarded whole. `closeHarnesses()` (in `afterEach`) closes every harness still open.
 */
import { createHttp1Server } from '../../lib/http1/index.js';
import { rawErrorResponse } from '../../lib/dispatch/index.js';
import type { ServiceConfig, Snapshot, Sleep } from '../../lib/core/index.js';
import { makeServiceConfig, type ServiceConfigInput } from '../../lib/descriptor/index.js';
import { createServiceBalancer, type ServiceBalancer } from '../../lib/balancing/index.js';
import { createServiceDispatcher, createUpstreamPools, type ServiceDispatcher, type UpstreamPools } from '../../lib/dispatch/index.js';

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** The service; `urls` are its backends unless `snapshot` says otherwise. */
  readonly service: ServiceConfigInput;
  readonly topology?: string;
  readonly gatewayPath?: string;
  /** Pretend the gateway serves TLS (X-Forwarded-Proto, Secure cookies, Location scheme). */
  readonly tls?: boolean;
  /** Defaults to a sleep that records its argument and resolves at once. */
  readonly sleep?: Sleep;
  readonly coolDownMs?: number;
}

/** A running harness. */
export interface Harness {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url + /{gatewayPath}/{topology}/{service.path}` */
  readonly base: string;
  readonly port: number;
  readonly service: ServiceConfig;
  readonly balancer: ServiceBalancer;
  readonly dispatcher: ServiceDispatcher;
  readonly pools: UpstreamPools;
  /** Every `sleep(ms)` call the dispatcher made (with the default sleep). */
  readonly sleeps: number[];
  /** Replaces the backend list (undefined: none known). */
  setBackends(urls: readonly string[] | undefined): void;
  close(): Promise<void>;
}

const open = new Set<Harness>();

/** Starts a harness around one service. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const topology = options.topology ?? 'sandbox';
  const gatewayPath = options.gatewayPath ?? 'gateway';
  const tls = options.tls ?? false;
  const service = makeServiceConfig(options.service);
  const sleeps: number[] = [];
  const sleep: Sleep = options.sleep ?? (async (ms) => { sleeps.push(ms); });
  let snapshot: Snapshot | undefined = toSnapshot(service.urls);
  const balancer = createServiceBalancer({
    service, cookiePath: `/${gatewayPath}/${topology}`, secure: tls,
    ...(options.coolDownMs === undefined ? {} : { coolDownMs: options.coolDownMs }),
  });
  const pools = createUpstreamPools();
  const dispatcher = createServiceDispatcher({
    topology, service, balancer, pools, gatewayPath, tls, sleep, snapshot: () => snapshot,
  });
  const prefix = `/${gatewayPath}/${topology}/${service.path}`;
  const server = createHttp1Server({
    maxHeaderSize: 32768, maxHeadersCount: 500, headersTimeoutMs: 20000, requestTimeoutMs: 300000, sendTimeoutMs: 60000, keepAliveTimeoutMs: 5000,
    tls: undefined, refusal: (status, reason) => rawErrorResponse(status, reason, 'HAD_ERR_REQUEST_INVALID'),
  }, (req, res) => {
    const raw = req.url;
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const search = q < 0 ? '' : raw.slice(q);
    const rest = path === prefix || path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
    dispatcher.dispatch(req, res, { rest, search });
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const harness: Harness = {
    url, port, base: url + prefix, service, balancer, dispatcher, pools, sleeps,
    setBackends(urls) { snapshot = urls === undefined ? undefined : toSnapshot(urls); },
    async close() {
      open.delete(harness);
      server.closeAllConnections();
      await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
      await pools.close();
    },
  };
  open.add(harness);
  return harness;
}

/** Closes every harness still open. */
export async function closeHarnesses(): Promise<void> {
  await Promise.all([...open].map((h) => h.close()));
}

function toSnapshot(urls: readonly string[]): Snapshot {
  return Object.freeze({
    backends: Object.freeze(urls.map((url) => Object.freeze({ url }))),
    origin: 'static' as const,
    updatedAt: Date.now(),
  });
}
