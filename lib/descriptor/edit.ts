/**
 * Format-preserving edits of `<service>` attributes (`hadispatch descriptor set`): only the edited
 * attribute text changes; comments, attribute order, quotes and indentation stay byte-identical.
 */
import type { Diagnostic } from '../core/index.js';
import { ATTRIBUTE_NAMES, isAttributeName, parseAttribute } from './attributes.js';
import { createDiagnosticSink, didYouMeanSuffix } from './diagnostics.js';
import { parseDescriptor } from './parse-descriptor.js';
import { attributeValue, readXmlTree, type XmlElement } from './xml-tree.js';
import type { ScannedAttribute } from './xml-scan.js';

/** One `key=value`; an empty value removes the attribute. */
export interface AttributeEdit {
  readonly key: string;
  readonly value: string;
}

/**
 * The edited text, or why the edit was refused: `message` is one line that names the file, and
 * `diagnostics` are the errors behind it (of the file when it is malformed, else of the result),
 * not repeated in `message`.
 */
export type EditOutcome =
  | { readonly kind: 'ok'; readonly text: string; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'refused'; readonly message: string; readonly diagnostics: readonly Diagnostic[] };

/** Replace `text[start, end)` with `text`. */
export type Splice = { readonly start: number; readonly end: number; readonly text: string };

/** Escapes `v` for an attribute value delimited by `quote`. */
export function escapeForQuote(v: string, quote: '"' | "'"): string {
  const s = v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
  return quote === '"' ? s.replace(/"/g, '&quot;') : s.replace(/'/g, '&apos;');
}

/** Checks one edit's key and value with the parser's rules; returns the problem or undefined. */
export function checkEdit(edit: AttributeEdit): string | undefined {
  if (!isAttributeName(edit.key)) return `unknown attribute "${edit.key}"${didYouMeanSuffix(edit.key, ATTRIBUTE_NAMES)}`;
  if (edit.key === 'name') return 'the name cannot be changed with set (it selects the service)';
  const outcome = parseAttribute(edit.key, edit.value);
  return outcome && !outcome.ok ? `${edit.key}: ${outcome.message}` : undefined;
}

/**
 * Applies `edits` to service `service` of the `<ha>` descriptor `text`, adding the service when it
 * does not exist. Refuses unknown keys, bad values, topologies, and any result that has errors.
 */
export function editServiceAttributes(text: string, file: string, service: string, edits: readonly AttributeEdit[]): EditOutcome {
  const refuse = (message: string, diagnostics: readonly Diagnostic[] = []): EditOutcome => ({ kind: 'refused', message, diagnostics });
  const badName = parseAttribute('name', service);
  if (badName?.ok === false || service.trim() === '') return refuse(`${file}: service "${service}": ${badName?.ok === false ? badName.message : 'empty name'}`);
  for (const e of edits) {
    const problem = checkEdit(e);
    if (problem) return refuse(`${file}: ${problem}`);
  }
  const sink = createDiagnosticSink(file, text);
  const root = readXmlTree(text, sink);
  if (!root) return refuse(`cannot edit ${file}: it is not well-formed XML`, sink.list());
  if (root.name === 'topology') return refuse(`${file}: is a Knox topology; convert it first: hadispatch descriptor convert ${file} -o NEW.xml`);
  if (root.name !== 'ha') return refuse(`${file}: the root element must be <ha>, got <${root.name}>`);
  const matches = root.children.filter((c) => c.name === 'service' && attributeValue(c, 'name')?.trim() === service);
  if (matches.length > 1) return refuse(`${file}: service "${service}" is defined ${matches.length} times`);
  const last = new Map(edits.map((e) => [e.key, e.value.trim()]));
  const splices = matches[0] ? editTag(text, matches[0], last) : [insertService(text, root, service, last)];
  const result = applySplices(text, splices);
  const check = parseDescriptor(result, file);
  if (!check.config) return refuse(`refusing to write ${file}: the result would be invalid`, check.diagnostics.filter((d) => d.severity === 'error'));
  return { kind: 'ok', text: result, diagnostics: check.diagnostics };
}

function editTag(text: string, el: XmlElement, edits: ReadonlyMap<string, string>): Splice[] {
  const attrs = el.tag.attributes;
  const splices: Splice[] = [];
  const removed = new Set<number>();
  let added = '';
  for (const [key, value] of edits) {
    const index = attrs.findIndex((a) => a.name === key);
    const attr = attrs[index];
    if (attr && value === '') removed.add(index);
    else if (attr) splices.push({ start: attr.valueStart, end: attr.valueEnd, text: escapeForQuote(value, attr.quote) });
    else if (value !== '') added += ` ${key}=${quoteLike(attrs, value)}`;
  }
  const lastAttr = attrs[attrs.length - 1];
  const at = lastAttr ? lastAttr.valueEnd + 1 : el.tag.start + 1 + el.name.length;
  if (added !== '') splices.push({ start: at, end: at, text: added });
  return [...splices, ...removalSplices(text, el, removed)];
}

function quoteLike(attrs: readonly ScannedAttribute[], value: string): string {
  const q = attrs[attrs.length - 1]?.quote ?? '"';
  return `${q}${escapeForQuote(value, q)}${q}`;
}

/**
 * The splices that remove the attributes of `el` at `removed` indices with their whitespace, keeping
 * the surrounding layout: a run of attributes that starts a line takes the line break with it only
 * when an attribute follows it.
 */
export function removalSplices(text: string, el: XmlElement, removed: ReadonlySet<number>): Splice[] {
  const attrs = el.tag.attributes;
  const splices: Splice[] = [];
  for (let i = 0; i < attrs.length; i++) {
    if (!removed.has(i)) continue;
    let j = i;
    while (removed.has(j + 1)) j++;
    const prevEnd = i > 0 ? attrs[i - 1]!.valueEnd + 1 : el.tag.start + 1 + el.name.length;
    const next = attrs[j + 1];
    if (text.slice(prevEnd, attrs[i]!.start).includes('\n') && next) splices.push({ start: attrs[i]!.start, end: next.start, text: '' });
    else splices.push({ start: prevEnd, end: attrs[j]!.valueEnd + 1, text: '' });
    i = j;
  }
  return splices;
}

/** The file's line break: that of its first line (CRLF files get CRLF in inserted lines). */
function lineBreakOf(text: string): '\r\n' | '\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

function insertService(text: string, root: XmlElement, service: string, edits: ReadonlyMap<string, string>): Splice {
  const attrs = [`name="${escapeForQuote(service, '"')}"`];
  for (const [key, value] of edits) if (value !== '') attrs.push(`${key}="${escapeForQuote(value, '"')}"`);
  const first = root.children.find((c) => c.name === 'service');
  const indent = first ? /[ \t]*$/.exec(text.slice(text.lastIndexOf('\n', first.offset - 1) + 1, first.offset))?.[0] ?? '  ' : '  ';
  const eol = lineBreakOf(text);
  const line = `${indent}<service ${attrs.join(' ')}/>`;
  // A self-closing root keeps its start tag as written (attributes, namespaces); only "/>" becomes ">".
  if (root.tag.selfClosing) return { start: root.tag.end - 2, end: root.tag.end, text: `>${eol}${line}${eol}</${root.name}>` };
  const at = root.contentEnd;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  if (text.slice(lineStart, at).trim() === '') return { start: lineStart, end: lineStart, text: `${line}${eol}` };
  return { start: at, end: at, text: `${eol}${line}${eol}` };
}

/** Applies non-overlapping splices. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}
