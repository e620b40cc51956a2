/** The gateway: HTTP listener, routing, registry, reload and graceful shutdown (the composition root). */
export { startGateway, DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT, DEFAULT_GATEWAY_PATH, DEFAULT_RELOAD_DEBOUNCE_MS } from './gateway.js';
export { parseRoute, findPathProblem, type RouteResult } from './route.js';
export { startDemoBackends, DEMO_BACKENDS, type DemoBackends } from './demo-backends.js';
export { DEFAULT_SHUTDOWN_TIMEOUT_MS } from './graceful-close.js';
export type {
  Gateway, GatewayOptions, GatewayView, ServiceView, SessionView, ReloadResult, LoadFailure, TlsOptions,
} from './types.js';
