/**
 * Well-formedness checks and the element tree of a descriptor: fast-xml-parser validates and decodes,
 * the scanner (xml-scan.ts) adds source offsets. Both see the same start tags in document order, so
 * the i-th element of a pre-order walk is the i-th scanned start tag.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DiagnosticSink, Position } from './diagnostics.js';
import { scanXml, referenceCodePoint, REFERENCE_NAME, type ScannedTag } from './xml-scan.js';

/** An attribute with its decoded value and the offset of its name. */
export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
  readonly offset: number;
}

/** One element: decoded attributes and text, child elements, source positions. */
export interface XmlElement {
  readonly name: string;
  readonly offset: number;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Concatenated text and CDATA content of this element (not of its children). */
  readonly text: string;
  /** Offset just after the start tag, where the content begins. */
  readonly contentOffset: number;
  /** Offset of the end tag, where the content ends (contentOffset for a self-closing tag). */
  readonly contentEnd: number;
  /** Offset just after the end tag (or the self-closing start tag). */
  readonly end: number;
  /** The scanned start tag, for format-preserving edits. */
  readonly tag: ScannedTag & { kind: 'start' };
}

type OrderedNode = Record<string, unknown>;

const REFERENCE = new RegExp(`&(${REFERENCE_NAME});`, 'g');
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/**
 * Decodes the predefined entities and character references. readXmlTree has refused every other
 * entity and every reference to a character XML does not allow before this runs.
 */
export function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(REFERENCE, (_, ref: string) => decodeReference(ref));
}

/** One predefined entity or character reference, given without `&` and `;` (`amp`, `#38`, `#x26`). */
export function decodeReference(ref: string): string {
  if (!ref.startsWith('#')) return NAMED[ref] ?? '';
  const code = referenceCodePoint(ref);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

// Entities are decoded by decodeReferences (fast-xml-parser's own decoding is slow and skips &#NN;).
const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false,
  parseTagValue: false, trimValues: false, ignoreDeclaration: true, ignorePiTags: true, processEntities: false,
  cdataPropName: '#cdata',
});

/**
 * fast-xml-parser reports elements still open at the end of the file as `Invalid '[    "ha",
 * "service"]' found.` at 1:1; this says it plainly, at the innermost complete start tag left open.
 */
function unclosedAtEnd(msg: string, tags: readonly ScannedTag[]): { at: Position; message: string } | undefined {
  const m = /^Invalid '(\[.*\])' found\.$/s.exec(msg);
  if (m === null) return undefined;
  let names: unknown;
  try { names = JSON.parse(m[1] as string); } catch { return undefined; }
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) return undefined;
  const open: number[] = [];
  for (const t of tags) {
    if (t.kind === 'start') { if (!t.selfClosing) open.push(t.start); } else open.pop();
  }
  const list = (names as string[]).map((n) => `<${n}>`).join(', ');
  return { at: open.at(-1) ?? 0, message: `malformed XML: the file ends inside ${list} (a missing end tag or an unfinished tag)` };
}

/**
 * Checks `text` and returns its root element, or undefined after reporting errors to `sink`:
 * a DOCTYPE or entity declaration (refused, XXE), malformed XML, unknown entities, several roots.
 */
export function readXmlTree(text: string, sink: DiagnosticSink): XmlElement | undefined {
  const scan = scanXml(text);
  if (scan.doctype !== undefined) {
    sink.error(scan.doctype, 'DOCTYPE and entities are refused');
    return undefined;
  }
  const check = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (check !== true) {
    const unclosed = unclosedAtEnd(check.err.msg, scan.tags);
    if (unclosed !== undefined) sink.error(unclosed.at, unclosed.message);
    else sink.error({ line: check.err.line || 1, col: check.err.col || 1 }, `malformed XML: ${check.err.msg}`);
    return undefined;
  }
  for (const p of scan.problems) sink.error(p.offset, p.message);
  if (scan.problems.length > 0) return undefined;
  const starts = scan.tags.filter((t): t is ScannedTag & { kind: 'start' } => t.kind === 'start');
  let parsed: OrderedNode[];
  try {
    parsed = parser.parse(text) as OrderedNode[];
  } catch (err) {
    sink.error(0, `malformed XML: ${(err as Error).message}`);
    return undefined;
  }
  const counter = { next: 0, ends: endTagsOf(scan.tags) };
  const roots = parsed.filter((n) => !('#text' in n)).map((n) => toElement(n, starts, counter));
  const strayText = parsed.some((n) => '#text' in n && String(n['#text']).trim() !== '');
  if (roots.length !== 1 || strayText) {
    sink.error(roots[1]?.offset ?? 0, roots.length === 0 ? 'no root element' : 'malformed XML: only one root element is allowed, with nothing but comments after it');
    return undefined;
  }
  return roots[0];
}

type EndTag = { readonly start: number; readonly end: number };

/** The end tag of each start tag (well-formed input: tags nest), keyed by the start tag. */
function endTagsOf(tags: readonly ScannedTag[]): Map<ScannedTag, EndTag> {
  const ends = new Map<ScannedTag, EndTag>();
  const open: ScannedTag[] = [];
  for (const t of tags) {
    if (t.kind === 'start' && t.selfClosing) ends.set(t, { start: t.end, end: t.end });
    else if (t.kind === 'start') open.push(t);
    else {
      const s = open.pop();
      if (s) ends.set(s, { start: t.start, end: t.end });
    }
  }
  return ends;
}

function toElement(node: OrderedNode, starts: readonly (ScannedTag & { kind: 'start' })[], counter: { next: number; ends: Map<ScannedTag, EndTag> }): XmlElement {
  const name = Object.keys(node).find((k) => k !== ':@') ?? '';
  const tag = starts[counter.next] ?? { kind: 'start', name, start: 0, end: 0, selfClosing: true, attributes: [] };
  counter.next++;
  const decoded = (node[':@'] ?? {}) as Record<string, unknown>;
  const attributes = tag.attributes.map((a) => ({ name: a.name, value: decodeReferences(String(decoded[a.name] ?? '')), offset: a.start }));
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[name] ?? []) as OrderedNode[]) {
    if ('#text' in child) text += decodeReferences(String(child['#text']));
    else if ('#cdata' in child) text += ((child['#cdata'] ?? []) as OrderedNode[]).map((c) => String(c['#text'] ?? '')).join('');
    else children.push(toElement(child, starts, counter));
  }
  const close = counter.ends.get(tag) ?? { start: tag.end, end: tag.end };
  return Object.freeze({ name, offset: tag.start, attributes, children, text, contentOffset: tag.end, contentEnd: close.start, end: close.end, tag });
}

/** The decoded value of attribute `name`, if present. */
export function attributeValue(el: XmlElement, name: string): string | undefined {
  return el.attributes.find((a) => a.name === name)?.value;
}

/** The trimmed text of the first child element called `name`, if any. */
export function childText(el: XmlElement, name: string): string | undefined {
  return el.children.find((c) => c.name === name)?.text.trim();
}
