/**
 * Knox's topology parameter grammar `k=v;k=v` (HaDescriptorFactory.parseHaConfiguration): split on
 * `;`, split each piece on `=` with Java's String.split semantics (trailing empty tokens dropped),
 * keep a piece only when that gives exactly two tokens; later duplicates win. Unlike Knox we trim
 * keys and values, and report every piece Knox would silently drop.
 */

/** One `key=value` pair; `offset` is where the (trimmed) key starts in the string. */
export interface ParamPair {
  readonly key: string;
  readonly value: string;
  readonly offset: number;
}

/** A piece that was dropped, with the reason. */
export interface ParamProblem {
  readonly offset: number;
  readonly message: string;
}

/** The pairs of a parameter string, in order (duplicates kept, the caller applies last-wins), and what was dropped. */
export function parseParamString(s: string): { readonly pairs: readonly ParamPair[]; readonly problems: readonly ParamProblem[] } {
  const pairs: ParamPair[] = [];
  const problems: ParamProblem[] = [];
  let start = 0;
  for (const piece of s.split(';')) {
    const offset = start + (piece.length - piece.trimStart().length);
    start += piece.length + 1;
    if (piece.trim() === '') continue;
    const tokens = javaSplit(piece, '=');
    const shown = piece.trim();
    if (tokens.length !== 2) {
      const why = tokens.length < 2 ? 'expected key=value' : 'more than one "="';
      problems.push({ offset, message: `"${shown}" is ignored: ${why}` });
      continue;
    }
    const key = tokens[0]!.trim();
    const value = tokens[1]!.trim();
    if (key === '') problems.push({ offset, message: `"${shown}" is ignored: empty key` });
    else if (value === '') problems.push({ offset, message: `"${shown}" is ignored: empty value (the default applies)` });
    else pairs.push({ key, value, offset });
  }
  return { pairs, problems };
}

/** Java's `String.split(sep)` for a one-character separator: trailing empty strings removed. */
export function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
