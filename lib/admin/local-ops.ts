/** Admin operations answered from this process's gateway. */
import { childLogger } from '../core/index.js';
import type { Gateway } from '../gateway/index.js';
import { buildBackendsReport, checkReadiness, findService } from './backends-report.js';
import { localMetrics } from './metrics-text.js';
import type { AdminOps } from './types.js';

const log = childLogger('admin');

/** Admin operations over one gateway. */
export function createLocalOps(gateway: Gateway): AdminOps {
  const view = gateway.view;
  return {
    ready: async () => checkReadiness(view),
    backends: async () => buildBackendsReport(view),
    async setDraining(request, draining) {
      const sv = findService(view, request.topology, request.service);
      const ok = sv !== undefined && sv.setDraining(request.url, draining);
      if (ok) log.info(draining ? 'backend draining' : 'backend undrained', { topology: request.topology, role: sv.service.name, backend: request.url });
      return ok;
    },
    metrics: () => localMetrics(view),
    reload: () => gateway.reload(),
  };
}
