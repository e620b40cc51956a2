import { expect } from 'chai';
import { decideNext, type FailoverFacts } from './failover-policy.js';

const base: FailoverFacts = {
  failure: 'connect', attempt: 0, maxFailoverAttempts: 3, candidates: 3, restricted: false, replayable: true, bodyReplayable: true,
};

describe('dispatch/failover-policy', () => {
  const cases: ReadonlyArray<{ desc: string; facts: Partial<FailoverFacts>; expect: string }> = [
    { desc: 'a connection failure is retried', facts: {}, expect: 'retry' },
    { desc: 'a connection failure of a POST is retried', facts: { replayable: false }, expect: 'retry' },
    { desc: 'the last allowed attempt gives up with the failure\'s code', facts: { attempt: 3 }, expect: 'HAD_ERR_UPSTREAM_CONNECT' },
    { desc: 'maxFailoverAttempts=0 never retries', facts: { maxFailoverAttempts: 0 }, expect: 'HAD_ERR_UPSTREAM_CONNECT' },
    { desc: 'a timeout of a POST is a 504', facts: { failure: 'timeout', replayable: false }, expect: 'HAD_ERR_UPSTREAM_TIMEOUT' },
    { desc: 'an abort of a POST is non-idempotent', facts: { failure: 'aborted', replayable: false }, expect: 'HAD_ERR_NON_IDEMPOTENT' },
    { desc: 'an abort after the body left the replay buffer is final', facts: { failure: 'aborted', bodyReplayable: false }, expect: 'HAD_ERR_UPSTREAM_ABORTED' },
    { desc: 'exhausted timeouts end in 504', facts: { failure: 'timeout', attempt: 3 }, expect: 'HAD_ERR_UPSTREAM_TIMEOUT' },
    { desc: 'restricted with one route: the first failure is noFallback', facts: { restricted: true, candidates: 1 }, expect: 'HAD_ERR_FAILOVER_DISABLED' },
    { desc: 'restricted with two ranked routes: the backup is tried', facts: { restricted: true, candidates: 2 }, expect: 'retry' },
    { desc: 'restricted, every route failed: noFallback', facts: { restricted: true, candidates: 2, attempt: 1 }, expect: 'HAD_ERR_FAILOVER_DISABLED' },
    { desc: 'a standby answer is retried for a POST', facts: { failure: 'standby', replayable: false }, expect: 'retry' },
    { desc: 'one candidate, unrestricted: retried on the same backend', facts: { candidates: 1 }, expect: 'retry' },
    { desc: 'an invalid request is final', facts: { failure: 'invalid' }, expect: 'HAD_ERR_REQUEST_INVALID' },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const result = decideNext({ ...base, ...c.facts });
      expect(result.kind === 'retry' ? 'retry' : result.code).to.equal(c.expect);
      if (result.kind === 'give-up') expect(result.noFallback).to.equal(c.expect === 'HAD_ERR_FAILOVER_DISABLED');
    });
  }
});
