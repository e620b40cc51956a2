/** Turns a per-child parser into a whole format: validation, warnings, order and de-duplication. */
import type { BackendEntry } from '../../core/index.js';
import { checkBackendUrl } from './backend-url.js';
import type { ChildOutcome, ChildParser, FormatContext, FormatResult, ZnodeChild } from './types.js';

/** `parent/name`, with no doubled slash at the root. */
export function znodePath(parentPath: string, name: string): string {
  return parentPath === '/' ? `/${name}` : `${parentPath}/${name}`;
}

/**
 * Applies `parse` to every child, sorted by znode path (plain code-unit order, so every gateway
 * instance sees the same list). Each URL is validated; a child that fails, throws or repeats an
 * earlier URL is skipped with one warning naming its znode. Never throws.
 */
export function parseChildren(parse: ChildParser, children: readonly ZnodeChild[], ctx: FormatContext): FormatResult {
  const sorted = [...children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const backends: BackendEntry[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const child of sorted) {
    const znode = znodePath(ctx.parentPath, child.name);
    const outcome = safeParse(parse, child);
    switch (outcome.kind) {
      case 'ignore':
        break;
      case 'skip':
        warnings.push(`znode ${znode}: ${outcome.reason}; skipped`);
        break;
      case 'url': {
        const check = checkBackendUrl(outcome.url);
        if (!check.ok) { warnings.push(`znode ${znode}: ${check.reason}; skipped`); break; }
        const first = seen.get(check.url);
        if (first !== undefined) { warnings.push(`znode ${znode}: same URL as ${first}; skipped`); break; }
        seen.set(check.url, znode);
        backends.push(Object.freeze({ url: check.url, znode }));
        break;
      }
      default: {
        const never: never = outcome;
        throw new Error(`unexpected outcome ${String(never)}`);
      }
    }
  }
  return { backends, warnings };
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
