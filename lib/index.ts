/** The small programmatic API. */
export * from './core/index.js';
export * from './descriptor/index.js';
export {
  startGateway, startDemoBackends, DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT, DEFAULT_GATEWAY_PATH,
  DEFAULT_SHUTDOWN_TIMEOUT_MS, DEMO_BACKENDS,
  type Gateway, type GatewayOptions, type GatewayView, type ServiceView, type SessionView, type ReloadResult,
  type LoadFailure, type TlsOptions, type DemoBackends,
} from './gateway/index.js';
export {
  startAdmin, createLocalOps, type AdminServer, type AdminOptions, type AdminOps, type BackendsReport, type Readiness,
} from './admin/index.js';
export type { StickyKeys } from './balancing/index.js';
