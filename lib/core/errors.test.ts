import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, HaError, DispatchError, hasCode } from './errors.js';

describe('error catalogue', () => {
  const codes = Object.keys(ERROR_CODES);

  it('uses HAD_ERR_<AREA>_<WHAT> codes', () => {
    for (const code of codes) expect(code).to.match(/^HAD_ERR_[A-Z]+(_[A-Z]+)+$/);
  });

  it('documents every code in README.md, and README names no unknown code', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of codes) expect(readme, code).to.include(`\`${code}\``);
    const mentioned = new Set(readme.match(/HAD_ERR_[A-Z_]+/g) ?? []);
    for (const m of mentioned) expect(codes, `README mentions ${m}`).to.include(m);
  });

  it('gives request-time errors their HTTP status and a public text', () => {
    const e = new DispatchError('HAD_ERR_FAILOVER_DISABLED', 'HIVE: http://h1:10001 failed');
    expect(e.status).to.equal(502);
    expect(e.publicMessage).to.equal('Service connection error, HA failover disabled');
    expect(e).to.be.instanceOf(HaError);
    expect(hasCode(e, 'HAD_ERR_FAILOVER_DISABLED')).to.equal(true);
    expect(hasCode(new Error('x'), 'HAD_ERR_FAILOVER_DISABLED')).to.equal(false);
  });
});
