/**
 * Migration of one HaProvider `<value>k=v;k=v</value>`: the pieces are chosen on the decoded text
 * (what Knox splits), and the raw source is edited by offsets, so entities, CDATA, comments, CRLF
 * line breaks and each piece's own whitespace stay as written.
 */
import { decodeContent, rawStart, type DecodedContent } from './decoded-content.js';
import type { Splice } from './edit.js';
import { fixKey } from './migrate-keys.js';
import { javaSplit } from './param-string.js';
import type { XmlElement } from './xml-tree.js';

/** The splices and change descriptions for one value, or why it cannot be edited safely. */
export type ValueFix =
  | { readonly kind: 'ok'; readonly splices: readonly Splice[]; readonly changes: readonly string[] }
  | { readonly kind: 'error'; readonly offset: number; readonly message: string };

/** One `;`-separated piece in decoded coordinates; `key` is trimmed, `keyAt` where it starts. */
type Piece = { readonly start: number; readonly end: number; readonly key: string; readonly keyAt: number };
/** What happens to a piece. */
type Action = { readonly kind: 'keep' } | { readonly kind: 'drop'; readonly note: string } | { readonly kind: 'rename'; readonly to: string };

/** How much whitespace `s` starts with (String.trim's notion, as the parser's). */
const leadingSpace = (s: string): number => s.length - s.trimStart().length;

function piecesOf(d: string): Piece[] {
  const lead = leadingSpace(d);
  const trail = d.length - lead - d.slice(lead).trimEnd().length;
  const pieces: Piece[] = [];
  let at = lead;
  for (const raw of d.slice(lead, d.length - trail).split(';')) {
    const tokens = javaSplit(raw, '=');
    const key = tokens.length === 2 ? tokens[0]!.trim() : '';
    pieces.push({ start: at, end: at + raw.length, key, keyAt: at + leadingSpace(raw) });
    at += raw.length + 1;
  }
  return pieces;
}

function actionsOf(pieces: readonly Piece[], changes: string[]): Action[] {
  const keys = new Set(pieces.filter((p) => p.key !== '').map((p) => p.key));
  return pieces.map((p): Action => {
    const fix = p.key === '' ? ({ kind: 'keep' } as const) : fixKey(p.key);
    if (fix.kind === 'keep') return fix;
    if (fix.kind === 'drop' || keys.has(fix.to)) {
      const note = fix.kind === 'drop' ? `dropped ${p.key}` : `dropped ${p.key} (${fix.to} is set)`;
      changes.push(note);
      return { kind: 'drop', note };
    }
    keys.add(fix.to);
    changes.push(`renamed ${p.key}→${fix.to}`);
    return fix;
  });
}

/**
 * The decoded range that removes the dropped pieces `i..j` with one separator: the `;` before them,
 * or (for the first piece) the `;` after them and the next piece's leading whitespace.
 */
function removal(pieces: readonly Piece[], i: number, j: number): readonly [number, number] {
  const next = pieces[j + 1];
  if (i > 0) return [pieces[i - 1]!.end, pieces[j]!.end];
  return [pieces[i]!.start, next ? next.keyAt : pieces[j]!.end];
}

/**
 * Splices that replace the decoded units `[from, to)` by `text`: only the raw text behind those
 * units changes, so markup between them (CDATA delimiters, comments) stays and stays well-formed.
 */
function replaceDecoded(c: DecodedContent, from: number, to: number, text: string): Splice[] {
  const ranges: { start: number; end: number }[] = [];
  for (let k = from; k < to; k++) {
    const last = ranges[ranges.length - 1];
    if (last && last.end === c.starts[k]) last.end = c.ends[k]!;
    else if (!last || last.end < c.starts[k]!) ranges.push({ start: c.starts[k]!, end: c.ends[k]! });
  }
  if (ranges.length === 0) return text === '' ? [] : [{ start: rawStart(c, from), end: rawStart(c, from), text }];
  return ranges.map((r, n) => ({ ...r, text: n === 0 ? text : '' }));
}

/** Migrates the keys of one HaProvider `<value>` of `text`. */
export function fixParamValue(text: string, value: XmlElement): ValueFix {
  const pieces = piecesOf(value.text);
  const changes: string[] = [];
  const actions = actionsOf(pieces, changes);
  if (changes.length === 0) return { kind: 'ok', splices: [], changes };
  const c = value.children.length === 0 ? decodeContent(text, value.contentOffset, value.contentEnd) : undefined;
  if (!c || c.text !== value.text) {
    const what = actions.filter((a) => a.kind !== 'keep').length;
    return { kind: 'error', offset: value.offset, message: `cannot edit this <value> safely (it holds markup this tool does not rewrite); ${what} key${what === 1 ? '' : 's'} to fix by hand: ${changes.join(', ')}` };
  }
  const splices: Splice[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const a = actions[i]!;
    const p = pieces[i]!;
    if (a.kind === 'rename') splices.push(...replaceDecoded(c, p.keyAt, p.keyAt + p.key.length, a.to));
    if (a.kind !== 'drop') continue;
    let j = i;
    while (actions[j + 1]?.kind === 'drop') j++;
    const [from, to] = removal(pieces, i, j);
    splices.push(...replaceDecoded(c, from, to, ''));
    i = j;
  }
  return { kind: 'ok', splices, changes };
}
