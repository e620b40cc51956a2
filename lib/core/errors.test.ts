import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, KNOX_NO_FALLBACK_MESSAGE, HaError, DispatchError, hasCode } from './errors.js';

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

  it('keeps Knox\'s noFallback text as the public text of HAD_ERR_FAILOVER_DISABLED (KNOX-2619)', () => {
    expect(KNOX_NO_FALLBACK_MESSAGE).to.equal('Service connection error, HA failover disabled');
    expect(ERROR_CODES.HAD_ERR_FAILOVER_DISABLED.text).to.equal(KNOX_NO_FALLBACK_MESSAGE);
  });

  it('gives each code a distinct public text', () => {
    const texts = codes.map((c) => ERROR_CODES[c as keyof typeof ERROR_CODES].text);
    expect(new Set(texts).size).to.equal(texts.length);
  });
});
