/** The read-only window admin gets into the live registry. */
import type { Discovery } from '../discovery/index.js';
import type { ServiceEntry } from './registry.js';
import type { GatewayState } from './reloader.js';
import type { GatewayView, ServiceView, SessionView } from './types.js';

/** Builds the view over the state cell (`get` is read on every call, so it follows reloads). */
export function createView(get: () => GatewayState, discovery: Discovery, closing: () => boolean): GatewayView {
  return {
    services() {
      const out: ServiceView[] = [];
      for (const topo of get().registry.topologies.values()) {
        for (const entry of topo.services.values()) out.push(serviceView(entry));
      }
      return out;
    },
    sessions: () => discovery.sessions() as readonly SessionView[],
    failures: () => get().failures,
    closing,
  };
}

function serviceView(entry: ServiceEntry): ServiceView {
  switch (entry.kind) {
    case 'active': {
      const { source, balancer } = entry;
      return {
        topology: entry.topology,
        service: entry.service,
        enabled: true,
        describeSource: () => source.describe(),
        snapshot: () => source.current(),
        status() {
          const snap = source.current();
          return snap ? balancer.status(snap) : [];
        },
        setDraining(url, draining) {
          const snap = source.current();
          return snap !== undefined && balancer.setDraining(snap, url, draining);
        },
      };
    }
    case 'disabled':
      return {
        topology: entry.topology,
        service: entry.service,
        enabled: false,
        describeSource: () => entry.service.source,
        snapshot: () => undefined,
        status: () => [],
        setDraining: () => false,
      };
    default: {
      const never: never = entry;
      throw new Error(`unexpected entry ${String(never)}`);
    }
  }
}
