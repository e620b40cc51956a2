/**
 * Upgrades one descriptor or topology text to the current schema with format-preserving edits:
 * drops the keys Knox removed, fixes known misspellings and attribute case slips, and optionally
 * converts a topology into an `<ha>` descriptor. Pure: text in, text and a change list out.
 */
import { ATTRIBUTE_NAMES, REMOVED_KNOX_KEYS } from './attributes.js';
import { convertTopology } from './convert.js';
import type { Diagnostic } from '../core/index.js';
import { createDiagnosticSink } from './diagnostics.js';
import { applySplices, removalSplices, type Splice } from './edit.js';
import { childText, readXmlTree, type XmlElement } from './xml-tree.js';
import { javaSplit } from './param-string.js';

/** Misspellings seen in the wild (CB-9745 writes the plural), lower-cased → correct name. */
const MISSPELLINGS: Readonly<Record<string, string>> = { enablestickysessions: 'enableStickySession' };

/** The migrated text and what changed, or why the file cannot be migrated. */
export type MigrateOutcome =
  | { readonly kind: 'ok'; readonly text: string; readonly changes: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

/** What to do with one key. */
type KeyFix = { readonly kind: 'keep' } | { readonly kind: 'drop' } | { readonly kind: 'rename'; readonly to: string };

/** `line:col: message` (the caller prefixes the file). */
function positioned(d: Diagnostic): string {
  return `${d.line}:${d.col}: ${d.message}`;
}

/** Decides what migration does with a key or attribute name. */
export function fixKey(key: string): KeyFix {
  const lower = key.toLowerCase();
  if (REMOVED_KNOX_KEYS.some((r) => r.toLowerCase() === lower)) return { kind: 'drop' };
  if ((ATTRIBUTE_NAMES as readonly string[]).includes(key)) return { kind: 'keep' };
  const to = ATTRIBUTE_NAMES.find((n) => n.toLowerCase() === lower) ?? MISSPELLINGS[lower];
  return to === undefined ? { kind: 'keep' } : { kind: 'rename', to };
}

/** Migrates `text` (read from `file`); with `toDescriptor`, a topology becomes an `<ha>` descriptor. */
export function migrateDescriptor(text: string, file: string, options: { readonly toDescriptor: boolean }): MigrateOutcome {
  const sink = createDiagnosticSink(file, text);
  const root = readXmlTree(text, sink);
  if (!root) return { kind: 'error', message: positioned(sink.list()[0]!) };
  const changes: string[] = [];
  let splices: Splice[];
  if (root.name === 'ha') splices = root.children.filter((c) => c.name === 'service').flatMap((s) => fixServiceTag(text, s, changes));
  else if (root.name === 'topology') splices = haParamValues(root).flatMap((v) => fixParamValue(text, v, changes));
  else return { kind: 'error', message: `the root element must be <ha> or <topology>, got <${root.name}>` };
  let out = applySplices(text, splices);
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

/** The `<value>` elements of the HaProvider's params. */
function haParamValues(root: XmlElement): XmlElement[] {
  return root.children.filter((c) => c.name === 'gateway')
    .flatMap((g) => g.children.filter((p) => p.name === 'provider' && childText(p, 'role')?.toLowerCase() === 'ha'))
    .flatMap((p) => p.children.filter((c) => c.name === 'param'))
    .flatMap((p) => p.children.filter((c) => c.name === 'value'));
}

/** Rewrites one `k=v;k=v` value in place; pieces keep their own whitespace. */
function fixParamValue(text: string, value: XmlElement, changes: string[]): Splice[] {
  const raw = text.slice(value.contentOffset, value.contentOffset + value.text.length);
  if (raw !== value.text) return []; // entities or CDATA: left alone rather than risk changing the meaning
  const pieces = raw.split(';');
  const keys = new Set(pieces.map((p) => javaSplit(p, '=')).filter((t) => t.length === 2).map((t) => t[0]!.trim()));
  const kept: string[] = [];
  let changed = false;
  for (const piece of pieces) {
    const tokens = javaSplit(piece, '=');
    const key = tokens.length === 2 ? tokens[0]!.trim() : '';
    const fix = key === '' ? ({ kind: 'keep' } as const) : fixKey(key);
    if (fix.kind === 'keep') kept.push(piece);
    else if (fix.kind === 'drop' || keys.has(fix.to)) {
      changes.push(fix.kind === 'drop' ? `dropped ${key}` : `dropped ${key} (${fix.to} is set)`);
      changed = true;
    } else {
      kept.push(piece.replace(key, fix.to));
      keys.add(fix.to);
      changes.push(`renamed ${key}→${fix.to}`);
      changed = true;
    }
  }
  if (!changed) return [];
  return [{ start: value.contentOffset, end: value.contentOffset + raw.length, text: joinPieces(raw, kept) }];
}

/** Joins the kept pieces, keeping the value's leading and trailing whitespace. */
function joinPieces(raw: string, kept: readonly string[]): string {
  const lead = /^\s*/.exec(raw)?.[0] ?? '';
  const trail = /\s*$/.exec(raw)?.[0] ?? '';
  const body = kept.join(';').trim();
  return body === '' ? lead + trail : lead + body + trail;
}
