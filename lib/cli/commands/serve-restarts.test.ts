import { expect } from 'chai';
import { decideRestart, onWorkerListening, DEFAULT_RESTART_POLICY, INITIAL_RESTART_STATE, type RestartDecision, type RestartState, type WorkerExit } from './serve-restarts.js';

const policy = DEFAULT_RESTART_POLICY;

/** Feeds exits one after another and returns every decision. */
function run(exits: readonly WorkerExit[], state: RestartState = INITIAL_RESTART_STATE): RestartDecision[] {
  const out: RestartDecision[] = [];
  for (const exit of exits) {
    const d = decideRestart(state, exit, policy);
    out.push(d);
    state = d.state;
  }
  return out;
}

const crash = (uptimeMs: number, othersAlive = 1): WorkerExit => ({ listened: true, uptimeMs, othersAlive });
const startupFailure = (othersAlive: number): WorkerExit => ({ listened: false, uptimeMs: 500, othersAlive });

describe('decideRestart (serve --workers)', () => {
  const cases = [
    { desc: 'restarts a worker that ran long after the base delay', exits: [crash(60000)], delays: [1000] },
    { desc: 'doubles the delay for crashes in quick succession', exits: [crash(100), crash(100), crash(100)], delays: [1000, 2000, 4000] },
    { desc: 'caps the delay', exits: Array.from({ length: 8 }, () => crash(100)), delays: [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000] },
    { desc: 'resets the back-off after a stable run', exits: [crash(100), crash(100), crash(60000)], delays: [1000, 2000, 1000] },
    { desc: 'keeps retrying start-up failures while another worker serves', exits: Array.from({ length: 6 }, () => startupFailure(1)), delays: [1000, 2000, 4000, 8000, 16000, 30000] },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      expect(run(c.exits).map((d) => (d.kind === 'restart' ? d.delayMs : d.kind))).to.deep.equal(c.delays);
    });
  }

  it('gives up after 3 start-up failures in a row once no worker serves', () => {
    const kinds = run([crash(100, 0), startupFailure(0), startupFailure(0), startupFailure(0)]).map((d) => d.kind);
    expect(kinds).to.deep.equal(['restart', 'restart', 'restart', 'give-up']);
  });

  it('counts start-up failures from scratch after a worker listens', () => {
    const [, second] = run([startupFailure(0), startupFailure(0)]);
    const healed = onWorkerListening(second?.state ?? INITIAL_RESTART_STATE);
    expect(healed.startupFailures).to.equal(0);
    expect(run([startupFailure(0), startupFailure(0)], healed).map((d) => d.kind)).to.deep.equal(['restart', 'restart']);
  });
});
