import { expect } from 'chai';
import { DescriptorError } from '../core/index.js';
import { decodeDescriptorBytes, firstInvalidUtf8 } from './decode-text.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function refusal(b: Uint8Array): DescriptorError {
  try {
    decodeDescriptorBytes(b, 'x.xml');
  } catch (err) {
    if (err instanceof DescriptorError) return err;
    throw err;
  }
  throw new Error('expected a DescriptorError');
}

// Regression (review): files were read with readFile(f, 'utf8'), so Latin-1 bytes became U+FFFD
// without a word, and `descriptor set` wrote the damage back.
describe('decodeDescriptorBytes', () => {
  it('decodes UTF-8, multi-byte characters included', () => {
    expect(decodeDescriptorBytes(bytes('<ha><!-- Maître: José 🚀 --></ha>'), 'x.xml')).to.equal('<ha><!-- Maître: José 🚀 --></ha>');
  });

  it('keeps a leading BOM in the text, so that a rewrite keeps it', () => {
    expect(decodeDescriptorBytes(bytes([0xef, 0xbb, 0xbf], '<ha/>'), 'x.xml')).to.equal('\uFEFF<ha/>');
  });

  it('refuses Latin-1 with a diagnostic at the first bad byte: line, column and byte offset', () => {
    const err = refusal(bytes('<ha>\n<!-- Ma', [0xee], 'tre -->\n</ha>\n'));
    expect(err.code).to.equal('HAD_ERR_DESCRIPTOR_INVALID');
    expect(err.message).to.equal('x.xml:2:8: error: not UTF-8: byte 0xEE at byte offset 12 cannot be decoded (save the file as UTF-8)');
    expect(err.diagnostics.map((d) => [d.line, d.col, d.severity])).to.deep.equal([[2, 8, 'error']]);
  });

  it('names the encoding the XML declaration claims, with a way to convert the file', () => {
    const err = refusal(bytes('<?xml version="1.0" encoding="ISO-8859-1"?>\n<ha name="Jos', [0xe9], '"/>'));
    expect(err.message).to.equal('x.xml:2:14: error: not UTF-8: byte 0xE9 at byte offset 57 cannot be decoded '
      + '(only UTF-8 is read, the XML declaration says ISO-8859-1: convert the file, e.g. iconv -f ISO-8859-1 -t UTF-8)');
  });
});

describe('firstInvalidUtf8', () => {
  const cases: { desc: string; input: Uint8Array; offset: number }[] = [
    { desc: 'valid text: its length', input: bytes('aé€🚀'), offset: 10 },
    { desc: 'a lone continuation byte', input: bytes('ab', [0x80]), offset: 2 },
    { desc: 'an overlong encoding of "/"', input: bytes('a', [0xc0, 0xaf]), offset: 1 },
    { desc: 'an overlong three-byte form', input: bytes([0xe0, 0x80, 0xaf]), offset: 0 },
    { desc: 'an encoded surrogate', input: bytes('x', [0xed, 0xa0, 0x80]), offset: 1 },
    { desc: 'above U+10FFFF', input: bytes([0xf4, 0x90, 0x80, 0x80]), offset: 0 },
    { desc: 'a truncated sequence at the end', input: bytes('ab', [0xe2, 0x82]), offset: 2 },
    { desc: 'a lead byte followed by ASCII', input: bytes('é', [0xe9], 'x'), offset: 2 },
  ];
  for (const c of cases) it(c.desc, () => expect(firstInvalidUtf8(c.input)).to.equal(c.offset));

  it('agrees with the fatal TextDecoder on every two-byte sequence', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (let a = 0x80; a < 0x100; a++) {
      for (const b of [0x00, 0x41, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff]) {
        const input = Uint8Array.of(a, b, 0x80, 0x80);
        let valid = true;
        try { strict.decode(input); } catch { valid = false; }
        expect(firstInvalidUtf8(input) === input.length, `${a.toString(16)} ${b.toString(16)}`).to.equal(valid);
      }
    }
  });
});
