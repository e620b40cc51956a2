/** The admin listener: health, readiness, backend state, drain/undrain, Prometheus metrics, reload. */
export { startAdmin, parseDrainRequest, ADMIN_MAX_BODY_BYTES, type AdminOptions, type AdminServer } from './admin-server.js';
export { createLocalOps } from './local-ops.js';
export { createDeferredOps, type DeferredOps } from './deferred-ops.js';
export { createClusterOps, type ClusterOps } from './cluster-ops.js';
export { serveAdminToPrimary, isReadyMessage, liveWorkers } from './cluster-protocol.js';
export { createDrainMemory, type DrainMemory, type DrainMark } from './cluster-memory.js';
export { buildBackendsReport, checkReadiness } from './backends-report.js';
export { mergeReports } from './merge-reports.js';
export { refreshBackendsGauge, aggregateMetrics } from './metrics-text.js';
export type { AdminOps, Readiness, BackendsReport, ServiceReport, BackendReport, BackendState, DrainRequest, MetricsText, WorkersAnswered } from './types.js';
