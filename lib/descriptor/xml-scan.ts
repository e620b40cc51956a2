/**
 * A small, lenient scanner over XML source text that records where each tag and attribute starts.
 * fast-xml-parser gives no positions, so diagnostics and format-preserving edits use these offsets.
 * Comments, CDATA sections and processing instructions are skipped; the scanner never throws.
 */

/** One attribute of a start tag, with offsets into the source text. */
export interface ScannedAttribute {
  readonly name: string;
  /** Offset of the attribute name. */
  readonly start: number;
  /** Offset just after the opening quote. */
  readonly valueStart: number;
  /** Offset of the closing quote. */
  readonly valueEnd: number;
  readonly quote: '"' | "'";
}

/** A start tag (`<x ...>` or `<x .../>`) or an end tag (`</x>`). */
export type ScannedTag =
  | {
      readonly kind: 'start';
      readonly name: string;
      readonly start: number;
      /** Offset just after the closing `>`. */
      readonly end: number;
      readonly selfClosing: boolean;
      readonly attributes: readonly ScannedAttribute[];
    }
  | { readonly kind: 'end'; readonly name: string; readonly start: number; readonly end: number };

/** The scanner's findings: tags in document order, plus refused or broken constructs. */
export interface ScanResult {
  readonly tags: readonly ScannedTag[];
  /** Offset of the first `<!DOCTYPE`/`<!ENTITY` (refused: XXE), if any. */
  readonly doctype: number | undefined;
  /**
   * Problems a lenient XML validator lets through: unknown entity references, character references
   * to characters XML does not allow (`&#0;`, surrogates, above U+10FFFF), `<` in attribute values.
   */
  readonly problems: readonly { readonly offset: number; readonly message: string }[];
}

const NAME_END = /[\s/>=]/;
/** What may stand between `&` and `;`: a predefined entity or a character reference (`amp`, `#38`, `#x26`). */
export const REFERENCE_NAME = 'lt|gt|amp|apos|quot|#[0-9]+|#x[0-9a-fA-F]+';
const ENTITY = new RegExp(`^&(?:${REFERENCE_NAME});`);

/** The code point a character reference names, given without `&` and `;` (`#38`, `#x26`). */
export function referenceCodePoint(ref: string): number {
  return ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
}

/** Scans `text`; see {@link ScanResult}. */
export function scanXml(text: string): ScanResult {
  const tags: ScannedTag[] = [];
  const problems: { offset: number; message: string }[] = [];
  let doctype: number | undefined;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    checkEntities(text, i, lt < 0 ? text.length : lt, problems);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) i = skipPast(text, lt + 4, '-->');
    else if (text.startsWith('<![CDATA[', lt)) i = skipPast(text, lt + 9, ']]>');
    else if (text.startsWith('<?', lt)) i = skipPast(text, lt + 2, '?>');
    else if (text.startsWith('<!', lt)) {
      doctype ??= lt;
      i = skipPast(text, lt + 2, '>');
    } else if (text.startsWith('</', lt)) {
      const end = skipPast(text, lt + 2, '>');
      tags.push({ kind: 'end', name: text.slice(lt + 2, end - 1).trim(), start: lt, end });
      i = end;
    } else {
      const tag = scanStartTag(text, lt, problems);
      tags.push(tag);
      i = Math.max(tag.end, lt + 1);
    }
  }
  return { tags, doctype, problems };
}

function skipPast(text: string, from: number, terminator: string): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? text.length : at + terminator.length;
}

function readName(text: string, from: number): number {
  let j = from;
  while (j < text.length && !NAME_END.test(text[j]!)) j++;
  return j;
}

function skipSpace(text: string, from: number): number {
  let j = from;
  while (j < text.length && /\s/.test(text[j]!)) j++;
  return j;
}

function scanStartTag(text: string, lt: number, problems: { offset: number; message: string }[]): ScannedTag & { kind: 'start' } {
  const nameEnd = readName(text, lt + 1);
  const name = text.slice(lt + 1, nameEnd);
  const attributes: ScannedAttribute[] = [];
  let j = nameEnd;
  for (;;) {
    j = skipSpace(text, j);
    if (j >= text.length) return { kind: 'start', name, start: lt, end: text.length, selfClosing: false, attributes };
    if (text.startsWith('/>', j)) return { kind: 'start', name, start: lt, end: j + 2, selfClosing: true, attributes };
    if (text[j] === '>') return { kind: 'start', name, start: lt, end: j + 1, selfClosing: false, attributes };
    const attrEnd = readName(text, j);
    const eq = skipSpace(text, attrEnd);
    const q = skipSpace(text, eq + 1);
    const quote = text[q];
    if (attrEnd === j || text[eq] !== '=' || (quote !== '"' && quote !== "'")) {
      return { kind: 'start', name, start: lt, end: skipPast(text, j, '>'), selfClosing: false, attributes };
    }
    const close = text.indexOf(quote, q + 1);
    const valueEnd = close < 0 ? text.length : close;
    checkEntities(text, q + 1, valueEnd, problems);
    const lessThan = text.slice(q + 1, valueEnd).indexOf('<') + q + 1;
    if (lessThan > q) problems.push({ offset: lessThan, message: 'a "<" in an attribute value must be written &lt;' });
    attributes.push({ name: text.slice(j, attrEnd), start: j, valueStart: q + 1, valueEnd, quote });
    j = valueEnd + 1;
  }
}

function checkEntities(text: string, from: number, to: number, problems: { offset: number; message: string }[]): void {
  const segment = text.slice(from, to); // bounded search: indexOf on the whole text would be quadratic
  for (let amp = segment.indexOf('&'); amp >= 0; amp = segment.indexOf('&', amp + 1)) {
    const known = ENTITY.exec(segment.slice(amp, amp + 12))?.[0];
    if (known !== undefined) {
      if (known.startsWith('&#') && !isXmlChar(known)) {
        problems.push({ offset: from + amp, message: `invalid character reference "${known}": not a character XML allows` });
      }
      continue;
    }
    const ref = /^&[^\s;&<]{0,30};?/.exec(segment.slice(amp, amp + 32))?.[0] ?? '&';
    problems.push({ offset: from + amp, message: `unknown entity reference "${ref}": DOCTYPE and entities are refused (escape a literal & as &amp;)` });
  }
}

/**
 * True when the character reference `ref` (`&#N;` or `&#xH;`) names a character XML allows (XML 1.0
 * §2.2 Char, as §4.1 WFC "Legal Character" requires): not NUL, other C0 controls, surrogates,
 * U+FFFE/U+FFFF or anything above U+10FFFF.
 */
function isXmlChar(ref: string): boolean {
  const code = referenceCodePoint(ref.slice(1, -1));
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff)
    || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
