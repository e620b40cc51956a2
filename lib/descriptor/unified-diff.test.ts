import { expect } from 'chai';
import { unifiedDiff } from './unified-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => expect(unifiedDiff('a\n', 'a\n', 'x', 'x')).to.equal(''));
  it('prints one hunk with 3 lines of context', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
    const b = a.replace('5', 'five');
    expect(unifiedDiff(a, b, 'f.xml', 'f.xml')).to.equal('--- f.xml\n+++ f.xml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
  });
  it('splits distant changes into hunks and counts insertions', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n') + '\n';
    const b = a.replace('l1\n', 'l1\nnew\n').replace('l18', 'L18');
    expect(unifiedDiff(a, b, 'a', 'b')).to.equal('--- a\n+++ b\n@@ -1,5 +1,6 @@\n l0\n l1\n+new\n l2\n l3\n l4\n@@ -16,5 +17,5 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n');
  });
});
