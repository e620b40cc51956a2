/** The small programmatic API. */
export * from './core/index.js';
export * from './descriptor/index.js';
