import { expect } from 'chai';
import { HaError } from '../lib/core/index.js';

// Regression: with tsx's CommonJS hook mocha loaded test files through require(), so a dynamic
// import() (as the CLI does for its commands) got a second copy of lib/ and `instanceof HaError`
// failed. .mocharc.json registers only tsx's ESM loader (tsx/esm) to keep one copy.
describe('module loading under mocha', () => {
  it('gives static and dynamic imports the same module instance', async () => {
    const dynamic = await import('../lib/core/index.js');
    expect(dynamic.HaError).to.equal(HaError);
  });
});
