/**
 * Character content as an XML parser reports it, with the source range behind every decoded code
 * unit: references decoded, CRLF and lone CR read as LF (XML 1.0 §2.11), CDATA taken literally,
 * comments and processing instructions dropped. Lets format-preserving edits work on the decoded
 * text (what Knox reads) and splice the raw text by offsets.
 */
import { decodeReference } from './xml-tree.js';
import { REFERENCE_NAME } from './xml-scan.js';

/** Decoded text plus, per UTF-16 unit k, the raw range `[starts[k], ends[k])` that produced it. */
export interface DecodedContent {
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** The raw range: `[from, to)`. */
  readonly from: number;
  readonly to: number;
}

const REFERENCE = new RegExp(`^&(${REFERENCE_NAME});`);

/**
 * Decodes `text[from, to)`, the content of an element that readXmlTree accepted. Undefined when the
 * content holds a child element (or anything this reader does not model), so callers leave it alone.
 */
export function decodeContent(text: string, from: number, to: number): DecodedContent | undefined {
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (s: string, start: number, end: number): void => {
    out += s;
    for (let k = 0; k < s.length; k++) { starts.push(start); ends.push(end); }
  };
  let i = from;
  while (i < to) {
    if (text.startsWith('<!--', i) || text.startsWith('<?', i)) {
      const close = text.indexOf(text[i + 1] === '?' ? '?>' : '-->', i + 2);
      if (close < 0 || close >= to) return undefined;
      i = close + (text[i + 1] === '?' ? 2 : 3);
    } else if (text.startsWith('<![CDATA[', i)) {
      const close = text.indexOf(']]>', i + 9);
      if (close < 0 || close >= to) return undefined;
      let j = i + 9;
      while (j < close) j = emitChar(text, j, close, emit);
      i = close + 3;
    } else if (text[i] === '<') {
      return undefined;
    } else if (text[i] === '&') {
      const ref = REFERENCE.exec(text.slice(i, Math.min(to, i + 16)));
      if (!ref) return undefined;
      emit(decodeReference(ref[1]!), i, i + ref[0].length);
      i += ref[0].length;
    } else {
      i = emitChar(text, i, to, emit);
    }
  }
  return { text: out, starts, ends, from, to };
}

/** Emits the character at `i` (CRLF or a lone CR as one LF); returns the next offset. */
function emitChar(text: string, i: number, to: number, emit: (s: string, start: number, end: number) => void): number {
  if (text[i] !== '\r') {
    emit(text[i]!, i, i + 1);
    return i + 1;
  }
  const end = i + 1 < to && text[i + 1] === '\n' ? i + 2 : i + 1;
  emit('\n', i, end);
  return end;
}

/** Raw offset where decoded unit `k` starts (`to` at the end of the text). */
export function rawStart(c: DecodedContent, k: number): number {
  return k < c.starts.length ? c.starts[k]! : c.to;
}
