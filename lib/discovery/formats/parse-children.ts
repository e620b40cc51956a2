/** Turns a per-child parser into a whole format: validation, warnings, order and de-duplication. */
import type { BackendEntry } from '../../core/index.js';
import { checkBackendUrl } from './backend-url.js';
import { backendEntry } from './entry.js';
import type { ChildOutcome, ChildParser, FormatContext, FormatResult, ZnodeChild } from './types.js';

/** `parent/name`, with no doubled slash at the root. */
export function znodePath(parentPath: string, name: string): string {
  return parentPath === '/' ? `/${name}` : `${parentPath}/${name}`;
}

/** One child on its own: a validated URL, a skip with the reason, or nothing. Depends only on the child. */
export type CheckedChild =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'ignore' };

/** Applies `parse` to one child and validates the URL it gives. Never throws. */
export function checkChild(parse: ChildParser, child: ZnodeChild): CheckedChild {
  const outcome = safeParse(parse, child);
  switch (outcome.kind) {
    case 'ignore':
    case 'skip':
      return outcome;
    case 'url': {
      const check = checkBackendUrl(outcome.url);
      return check.ok ? { kind: 'url', url: check.url } : { kind: 'skip', reason: check.reason };
    }
    default: {
      const never: never = outcome;
      throw new Error(`unexpected outcome ${String(never)}`);
    }
  }
}

/** The warning for a child skipped for `reason`. */
export function skipWarning(znode: string, reason: string): string {
  // The reason may quote the znode's data: a huge or hostile value must not make a huge log line
  // (the warning is logged, kept in the source's status and printed by `backends`).
  const text = reason.length <= MAX_REASON ? reason : `${reason.slice(0, MAX_REASON)}… (${reason.length - MAX_REASON} more characters)`;
  return `znode ${znode}: ${text}; skipped`;
}

/** Longest skip reason kept whole, in characters. */
const MAX_REASON = 240;

/** A checked child at its place in the list; `entry` (when given) is reused for its URL. */
export interface PlacedChild {
  readonly znode: string;
  readonly checked: CheckedChild;
  readonly entry?: BackendEntry | undefined;
}

/**
 * Builds the result from checked children already sorted by znode path: a child repeating an
 * earlier URL is skipped with a warning naming both znodes.
 */
export function assemble(placed: Iterable<PlacedChild>): FormatResult {
  const backends: BackendEntry[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const { znode, checked, entry } of placed) {
    if (checked.kind === 'ignore') continue;
    if (checked.kind === 'skip') { warnings.push(skipWarning(znode, checked.reason)); continue; }
    const first = seen.get(checked.url);
    if (first !== undefined) { warnings.push(skipWarning(znode, `same URL as ${first}`)); continue; }
    seen.set(checked.url, znode);
    backends.push(entry ?? backendEntry(checked.url, znode));
  }
  return { backends, warnings };
}

/** Plain code-unit order of child names (so every gateway instance sees the same list). */
export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Applies `parse` to every child, sorted by znode path (plain code-unit order, so every gateway
 * instance sees the same list). Each URL is validated; a child that fails, throws or repeats an
 * earlier URL is skipped with one warning naming its znode. Never throws.
 */
export function parseChildren(parse: ChildParser, children: readonly ZnodeChild[], ctx: FormatContext): FormatResult {
  const sorted = [...children].sort(byName);
  return assemble(sorted.map((child) => ({ znode: znodePath(ctx.parentPath, child.name), checked: checkChild(parse, child) })));
}

function safeParse(parse: ChildParser, child: ZnodeChild): ChildOutcome {
  try {
    return parse(child);
  } catch (err) {
    return { kind: 'skip', reason: `cannot be parsed (${(err as Error).message})` };
  }
}

/** The child's data as UTF-8 text, trimmed; undefined when there is none. */
export function dataText(child: ZnodeChild): string | undefined {
  if (child.data === undefined || child.data.length === 0) return undefined;
  const text = child.data.toString('utf8').trim();
  return text === '' ? undefined : text;
}

/** Parses JSON data into a plain object, or returns the reason it is not one. */
export function dataJsonObject(child: ZnodeChild): Record<string, unknown> | string {
  const text = dataText(child);
  if (text === undefined) return 'no data';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'data is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'data is not a JSON object';
  return value as Record<string, unknown>;
}
