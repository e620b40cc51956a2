export * from './errors.js';
export * from './log.js';
export * from './types.js';
export * from './atomic-write.js';
export * from './metrics.js';
export * from './latency-histogram.js';
