import { expect } from 'chai';
import { mergeReports, type BackendReport, type BackendsReport } from '../../lib/admin/index.js';

const URL = 'http://h1:10001';

/** One worker's report with one backend. */
function report(backend: Partial<BackendReport>): BackendsReport {
  const b: BackendReport = { url: URL, state: 'up', inFlight: 0, drainingSessions: 0, ...backend };
  return {
    topologies: [{ name: 't', services: [{ role: 'HIVE', path: 'hive', enabled: true, source: { kind: 'static' }, backends: [b] }] }],
    zookeeper: [],
    failures: [],
  };
}

function merged(...workers: Partial<BackendReport>[]): BackendReport | undefined {
  return mergeReports(workers.map(report)).topologies[0]?.services[0]?.backends[0];
}

// Regression (review, bug 1): the merge kept the "worst" state, so a restarted worker that had lost
// its drain marks (and routed new sessions to the backend again) was hidden behind "draining".
describe('mergeReports (serve --workers)', () => {
  const cases = [
    { desc: 'keeps a state every worker agrees on, without a breakdown', workers: [{ state: 'draining' }, { state: 'draining' }], state: 'draining', workerStates: undefined },
    { desc: 'shows the state most workers report, with the breakdown', workers: [{ state: 'draining' }, { state: 'up' }, { state: 'draining' }], state: 'draining', workerStates: { draining: 2, up: 1 } },
    { desc: 'resolves a tie to the state that still gets new sessions (up before draining)', workers: [{ state: 'draining' }, { state: 'up' }], state: 'up', workerStates: { draining: 1, up: 1 } },
    { desc: 'resolves a tie between draining and cooling_down to draining', workers: [{ state: 'cooling_down' }, { state: 'draining' }], state: 'draining', workerStates: { cooling_down: 1, draining: 1 } },
  ] as const;
  for (const c of cases) {
    it(c.desc, () => {
      const b = merged(...c.workers);
      expect(b?.state).to.equal(c.state);
      expect(b?.workerStates).to.deep.equal(c.workerStates);
    });
  }

  it('sums in-flight and draining-session counts over the workers', () => {
    expect(merged({ inFlight: 2, drainingSessions: 1 }, { inFlight: 3, drainingSessions: 4 })).to.include({ inFlight: 5, drainingSessions: 5 });
  });

  it('keeps the latest cool-down end of the workers that cool the backend down', () => {
    const b = merged({ state: 'cooling_down', coolingUntil: '2030-01-01T00:00:02.000Z' }, { state: 'cooling_down', coolingUntil: '2030-01-01T00:00:05.000Z' }, { state: 'up' });
    expect(b).to.include({ state: 'cooling_down', coolingUntil: '2030-01-01T00:00:05.000Z' });
  });
});
