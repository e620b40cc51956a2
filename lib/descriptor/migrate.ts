/**
 * Upgrades one descriptor or topology text to the current schema with format-preserving edits:
 * drops the keys Knox removed, fixes known misspellings and attribute case slips, and optionally
 * converts a topology into an `<ha>` descriptor. Pure: text in, text and a change list out.
 */
import { convertTopology } from './convert.js';
import type { Diagnostic } from '../core/index.js';
import { createDiagnosticSink } from './diagnostics.js';
import { applySplices, removalSplices, type Splice } from './edit.js';
import { fixKey } from './migrate-keys.js';
import { fixParamValue } from './migrate-value.js';
import { parseParamString } from './param-string.js';
import { createLineIndex } from './text-position.js';
import { childText, readXmlTree, type XmlElement } from './xml-tree.js';

export { fixKey } from './migrate-keys.js';

/** The migrated text and what changed, or why the file cannot be migrated. */
export type MigrateOutcome =
  | { readonly kind: 'ok'; readonly text: string; readonly changes: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

/** `line:col: message` (the caller prefixes the file). */
function positioned(d: Diagnostic): string {
  return `${d.line}:${d.col}: ${d.message}`;
}

/** A problem at `offset` of `text` as `line:col: message`. */
function at(text: string, offset: number, message: string): MigrateOutcome {
  const { line, col } = createLineIndex(text).position(offset);
  return { kind: 'error', message: `${line}:${col}: ${message}` };
}

/**
 * Migrates `text` (read from `file`); with `toDescriptor`, a topology becomes an `<ha>` descriptor.
 * An error (never "nothing to do") when a removed key could not be dropped safely.
 */
export function migrateDescriptor(text: string, file: string, options: { readonly toDescriptor: boolean }): MigrateOutcome {
  const sink = createDiagnosticSink(file, text);
  const root = readXmlTree(text, sink);
  if (!root) return { kind: 'error', message: positioned(sink.list()[0]!) };
  const changes: string[] = [];
  const splices: Splice[] = [];
  if (root.name === 'ha') splices.push(...root.children.filter((c) => c.name === 'service').flatMap((s) => fixServiceTag(text, s, changes)));
  else if (root.name === 'topology') {
    for (const value of haParamValues(root)) {
      const fix = fixParamValue(text, value);
      if (fix.kind === 'error') return at(text, fix.offset, fix.message);
      splices.push(...fix.splices);
      changes.push(...fix.changes);
    }
    splices.push(...removedServiceParams(text, root, changes));
  } else return { kind: 'error', message: `the root element must be <ha> or <topology>, got <${root.name}>` };
  let out = applySplices(text, splices);
  const left = leftoverRemovedKey(out, file);
  if (left !== undefined) return left;
  if (root.name === 'topology' && options.toDescriptor) {
    try {
      out = convertTopology(out, file);
    } catch (err) {
      return { kind: 'error', message: `cannot convert: ${(err as Error).message}` };
    }
    changes.push('converted the topology to an HA descriptor');
  }
  return { kind: 'ok', text: out, changes };
}

function fixServiceTag(text: string, el: XmlElement, changes: string[]): Splice[] {
  const attrs = el.tag.attributes;
  const present = new Set(attrs.map((a) => a.name));
  const splices: Splice[] = [];
  const removed = new Set<number>();
  attrs.forEach((a, i) => {
    const fix = fixKey(a.name);
    const drop = (): void => { removed.add(i); };
    if (fix.kind === 'drop') {
      drop();
      changes.push(`dropped ${a.name}`);
    } else if (fix.kind === 'rename' && present.has(fix.to)) {
      drop();
      changes.push(`dropped ${a.name} (${fix.to} is set)`);
    } else if (fix.kind === 'rename') {
      splices.push({ start: a.start, end: a.start + a.name.length, text: fix.to });
      present.add(fix.to);
      changes.push(`renamed ${a.name}→${fix.to}`);
    }
  });
  return [...splices, ...removalSplices(text, el, removed)];
}

/** The HaProvider's `<param>`s. */
function haParams(root: XmlElement): XmlElement[] {
  return root.children.filter((c) => c.name === 'gateway')
    .flatMap((g) => g.children.filter((p) => p.name === 'provider' && childText(p, 'role')?.toLowerCase() === 'ha'))
    .flatMap((p) => p.children.filter((c) => c.name === 'param'));
}

/** The `<value>` elements of the HaProvider's params. */
function haParamValues(root: XmlElement): XmlElement[] {
  return haParams(root).flatMap((p) => p.children.filter((c) => c.name === 'value'));
}

/** Service-level `<param>`s named after a key Knox removed (Knox ignores them; validate warns). */
function removedParamsOf(root: XmlElement): XmlElement[] {
  return root.children.filter((c) => c.name === 'service')
    .flatMap((s) => s.children.filter((p) => p.name === 'param' && fixKey(childText(p, 'name') ?? '').kind === 'drop'));
}

/** Splices that drop each removed service-level `<param>`, with its line when it is alone on it. */
function removedServiceParams(text: string, root: XmlElement, changes: string[]): Splice[] {
  return removedParamsOf(root).map((p) => {
    changes.push(`dropped ${childText(p, 'name')!}`);
    const lineStart = text.lastIndexOf('\n', p.offset - 1) + 1;
    const eol = /^[ \t]*(\r?\n|$)/.exec(text.slice(p.end));
    const alone = text.slice(lineStart, p.offset).trim() === '' && eol !== null;
    return alone ? { start: lineStart, end: p.end + eol[0].length, text: '' } : { start: p.offset, end: p.end, text: '' };
  });
}

/** An error when `out` (the migrated text) still holds a removed key where Knox reads keys, else undefined. */
function leftoverRemovedKey(out: string, file: string): MigrateOutcome | undefined {
  const root = readXmlTree(out, createDiagnosticSink(file, out));
  if (!root) return { kind: 'error', message: 'the migrated text would not be well-formed XML; nothing written (please report this)' };
  const found: { offset: number; key: string }[] = [];
  for (const s of root.name === 'ha' ? root.children.filter((c) => c.name === 'service') : []) {
    for (const a of s.attributes) if (fixKey(a.name).kind === 'drop') found.push({ offset: a.offset, key: a.name });
  }
  if (root.name === 'topology') {
    for (const p of haParams(root)) {
      const value = p.children.find((c) => c.name === 'value');
      const pair = parseParamString(value?.text ?? '').pairs.find((x) => fixKey(x.key).kind === 'drop');
      if (value && pair) found.push({ offset: value.offset, key: pair.key });
    }
    for (const p of removedParamsOf(root)) found.push({ offset: p.offset, key: childText(p, 'name')! });
  }
  const first = found[0];
  return first && at(out, first.offset, `could not drop the removed key "${first.key}"; remove it by hand`);
}
