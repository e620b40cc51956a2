import { expect } from 'chai';
import { parseDescriptor } from './parse-descriptor.js';

// Regression (review): references to characters XML does not allow (&#0;, surrogates, above
// U+10FFFF) were decoded to "" without a word; a conforming XML parser refuses them (XML 1.0 §4.1,
// WFC: Legal Character).
describe('character references', () => {
  const errorsOf = (xml: string): string[] =>
    parseDescriptor(xml, 'r.xml').diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col}: ${d.message}`);

  const bad = ['&#0;', '&#x0;', '&#1;', '&#x1F;', '&#xD800;', '&#57343;', '&#xFFFE;', '&#xFFFF;', '&#x110000;', '&#1114112;', '&#99999999;'];
  for (const ref of bad) {
    it(`refuses ${ref} in an attribute value and in text, at its position`, () => {
      const xml = `<ha>\n  <service name="A" disableLoadBalancingForUserAgents="x${ref}y">\n    <url>http://a:1/${ref}</url>\n  </service>\n</ha>\n`;
      const message = `invalid character reference "${ref}": not a character XML allows`;
      expect(errorsOf(xml)).to.deep.equal([`2:57: ${message}`, `3:21: ${message}`]);
    });
  }

  const good: { ref: string; char: string }[] = [
    { ref: '&#9;', char: '\t' }, { ref: '&#x20;', char: ' ' }, { ref: '&#xD7FF;', char: '\uD7FF' }, { ref: '&#xE000;', char: '\uE000' },
    { ref: '&#xFFFD;', char: '\uFFFD' }, { ref: '&#x10000;', char: '\u{10000}' }, { ref: '&#x10FFFF;', char: '\u{10FFFF}' }, { ref: '&#65;', char: 'A' },
  ];
  for (const g of good) {
    it(`decodes ${g.ref}`, () => {
      const r = parseDescriptor(`<ha><service name="A" disableLoadBalancingForUserAgents="x${g.ref}y"><url>http://a:1</url></service></ha>`, 'r.xml');
      expect(r.config?.services[0]?.disableLoadBalancingForUserAgents).to.deep.equal([`x${g.char}y`]);
    });
  }
});
