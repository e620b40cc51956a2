import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDescriptorDir, parseDescriptor } from '../../lib/descriptor/index.js';
import { ROOT } from './cli-helpers.js';

const DIR = join(ROOT, 'descriptors');

describe('shipped descriptors/', () => {
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.xml')).sort()) {
    it(`${name} validates with no errors and no warnings`, () => {
      const r = parseDescriptor(readFileSync(join(DIR, name), 'utf8'), join(DIR, name));
      expect(r.diagnostics).to.deep.equal([]);
      expect(r.config?.services.length).to.be.greaterThan(0);
    });
  }

  it('sandbox.xml is the WHOAMI demo of SPEC §1', () => {
    const svc = parseDescriptor(readFileSync(join(DIR, 'sandbox.xml'), 'utf8'), 'sandbox.xml').config?.services[0];
    expect(svc).to.include({ name: 'WHOAMI', path: 'whoami', enableLoadBalancing: true, enableStickySession: true });
    expect(svc?.source).to.deep.equal({ kind: 'static', urls: ['http://127.0.0.1:50070', 'http://127.0.0.1:50071'] });
  });

  it('no shipped ZooKeeper service leaves the machine', async () => {
    const { topologies, failures } = await loadDescriptorDir(DIR);
    expect(failures).to.deep.equal([]);
    const ensembles = topologies.flatMap((t) => t.services).flatMap((s) => (s.source.kind === 'zookeeper' ? [s.source.ensemble] : []));
    expect(ensembles).to.deep.equal(['127.0.0.1:2181']);
  });
});
