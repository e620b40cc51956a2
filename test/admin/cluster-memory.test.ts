import { expect } from 'chai';
import { createDrainMemory } from '../../lib/admin/index.js';

const req = (service: string, url = 'http://h1:1'): { topology: string; service: string; url: string } => ({ topology: 't', service, url });

// Regression (review, bug 1): a restarted worker lost the drain marks; the primary now remembers
// the requests and replays them in this order.
describe('createDrainMemory (serve --workers)', () => {
  it('keeps the latest request per backend, ordered by when it was last made', () => {
    const m = createDrainMemory();
    m.record(req('HIVE'), true);
    m.record(req('hive'), false);
    m.record(req('HIVE', 'http://h2:1'), true);
    m.record(req('HIVE'), false);
    expect(m.list().map((k) => [k.request.service, k.request.url, k.draining])).to.deep.equal([
      ['hive', 'http://h1:1', false], ['HIVE', 'http://h2:1', true], ['HIVE', 'http://h1:1', false],
    ]);
  });

  it('forgets a request that named no backend, unless a later one replaced it', () => {
    const m = createDrainMemory();
    const typo = m.record(req('HIEV'), true);
    m.forget(typo);
    expect(m.list()).to.deep.equal([]);
    const first = m.record(req('HIVE'), true);
    m.record(req('HIVE'), false);
    m.forget(first);
    expect(m.list().map((k) => k.draining)).to.deep.equal([false]);
  });
});
