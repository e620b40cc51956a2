import { expect } from 'chai';
import { createDeferredOps } from './deferred-ops.js';
import type { AdminOps } from './types.js';

const REAL: AdminOps = {
  ready: async () => ({ ready: true, reasons: [] }),
  backends: async () => ({ topologies: [], zookeeper: [], failures: [] }),
  setDraining: async () => true,
  metrics: async () => ({ contentType: 'text/plain', body: 'm 1\n' }),
  reload: async () => ({ topologies: 0, services: 0, added: [], removed: [], changed: [], failures: [] }),
};

describe('createDeferredOps', () => {
  it('is not ready before the gateway runs, then answers with the real operations', async () => {
    const d = createDeferredOps();
    expect(await d.ops.ready()).to.deep.equal({ ready: false, reasons: ['the gateway is starting'] });
    const waiting = d.ops.metrics();
    d.resolve(REAL);
    expect(await waiting).to.deep.equal({ contentType: 'text/plain', body: 'm 1\n' });
    expect(await d.ops.ready()).to.deep.equal({ ready: true, reasons: [] });
    expect(await d.ops.setDraining({ topology: 't', service: 's', url: 'u' }, true)).to.equal(true);
  });

  it('fails waiting and later requests when the gateway did not start', async () => {
    const d = createDeferredOps();
    const waiting = d.ops.backends();
    d.fail();
    for (const pending of [waiting, d.ops.reload()]) {
      let err: unknown;
      try { await pending; } catch (e) { err = e; }
      expect(String(err)).to.include('the gateway did not start');
    }
  });
});
