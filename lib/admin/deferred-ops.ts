/**
 * Admin operations for an admin listener bound before its gateway runs, so that a busy admin port
 * fails `serve` before anything else starts (SPEC §2: one stderr line, nothing to shut down).
 */
import type { AdminOps } from './types.js';

/** Operations that wait for the real ones; `/ready` answers "starting" until then. */
export interface DeferredOps {
  readonly ops: AdminOps;
  /** Hands over the real operations; waiting requests go on with them. */
  resolve(ops: AdminOps): void;
  /** The gateway did not start: waiting and later requests fail (the listener is being closed). */
  fail(): void;
}

/** Creates operations that answer once {@link DeferredOps.resolve} is called. */
export function createDeferredOps(): DeferredOps {
  let real: AdminOps | undefined;
  let settle: (ops: AdminOps | undefined) => void = () => undefined;
  const settled = new Promise<AdminOps | undefined>((resolve) => { settle = resolve; });
  const get = async (): Promise<AdminOps> => {
    const ops = real ?? await settled;
    if (ops === undefined) throw new Error('the gateway did not start');
    return ops;
  };
  return {
    ops: {
      ready: async () => (real ? real.ready() : { ready: false, reasons: ['the gateway is starting'] }),
      backends: async () => (await get()).backends(),
      setDraining: async (request, draining) => (await get()).setDraining(request, draining),
      metrics: async () => (await get()).metrics(),
      reload: async () => (await get()).reload(),
    },
    resolve(ops) { real = ops; settle(ops); },
    fail() { settle(undefined); },
  };
}
