/**
 * Request path → (topology, service path, rest, query), without regular expressions: the hot path
 * scans the path once and slices at most four strings.
 */

/** Outcome of {@link parseRoute}. */
export type RouteResult =
  | { readonly kind: 'ok'; readonly topology: string; readonly service: string; readonly rest: string; readonly search: string }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'not-found' };

const SLASH = 0x2f;
const QUESTION = 0x3f;
const DOT = 0x2e;
const PERCENT = 0x25;
const BACKSLASH = 0x5c;

const NOT_FOUND: RouteResult = Object.freeze({ kind: 'not-found' });

/**
 * Splits `url` (the request target as received) for a gateway mounted at `/{gatewayPath}/`
 * (`prefix` is that string, with both slashes). Rejects (kind `invalid`, HTTP 400) any path that a
 * backend or another proxy could read differently from us: `.`/`..` segments, empty segments (`//`),
 * encoded dots, slashes, backslashes or NUL (`%2e`, `%2f`, `%5c`, `%00`), raw backslashes and NUL.
 * Everything else outside `/{gatewayPath}/{topology}/{service}` is `not-found`.
 */
export function parseRoute(url: string, prefix: string): RouteResult {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.charCodeAt(0) !== SLASH) return { kind: 'invalid', reason: 'request target is not an absolute path' };
  const problem = findPathProblem(path);
  if (problem !== undefined) return { kind: 'invalid', reason: problem };
  if (!path.startsWith(prefix)) return NOT_FOUND;
  const topoEnd = path.indexOf('/', prefix.length);
  if (topoEnd < 0) return NOT_FOUND;
  let serviceEnd = path.indexOf('/', topoEnd + 1);
  if (serviceEnd < 0) serviceEnd = path.length;
  if (serviceEnd === topoEnd + 1) return NOT_FOUND;
  return {
    kind: 'ok',
    topology: path.slice(prefix.length, topoEnd),
    service: path.slice(topoEnd + 1, serviceEnd),
    rest: serviceEnd === path.length ? '' : path.slice(serviceEnd),
    search: q < 0 ? '' : url.slice(q),
  };
}

/**
 * Splits `url` when it continues `servicePrefix` (`/{gatewayPath}/{topology}/{service}` of a request
 * that {@link parseRoute} routed before) with `/`, `?` or nothing; undefined otherwise. The prefix
 * passed the checks already, so only the rest of the path is scanned: the same result as
 * `parseRoute`, without scanning and slicing the prefix again.
 */
export function parseRouteUnder(url: string, servicePrefix: string, topology: string, service: string): RouteResult | undefined {
  const at = servicePrefix.length;
  if (!url.startsWith(servicePrefix)) return undefined;
  const next = url.charCodeAt(at);
  if (next !== SLASH && next !== QUESTION && at !== url.length) return undefined;
  const q = url.indexOf('?', at);
  const end = q < 0 ? url.length : q;
  const problem = end > at ? findPathProblem(url, at + 1, end) : undefined;
  if (problem !== undefined) return { kind: 'invalid', reason: problem };
  return { kind: 'ok', topology, service, rest: end === at ? '' : url.slice(at, end), search: q < 0 ? '' : url.slice(q) };
}

/**
 * The first reason a path is ambiguous or unsafe, or undefined. Scans `path` from `start` to `end`
 * (default: all of it after the leading '/'); `path[start - 1]` is '/'. An escape is read up to two
 * characters past its '%'; past `end` that can only be the query's '?', which is in no forbidden escape.
 */
export function findPathProblem(path: string, start = 1, end = path.length): string | undefined {
  let segStart = start;
  const n = end;
  for (let i = start; i <= n; i++) {
    const c = i === n ? SLASH : path.charCodeAt(i);
    if (c === SLASH) {
      const len = i - segStart;
      if (len === 0 && i < n) return 'empty path segment';
      if (len === 1 && path.charCodeAt(segStart) === DOT) return 'dot segment';
      if (len === 2 && path.charCodeAt(segStart) === DOT && path.charCodeAt(segStart + 1) === DOT) return 'dot segment';
      segStart = i + 1;
    } else if (c === BACKSLASH) {
      return 'backslash in path';
    } else if (c === 0) {
      return 'NUL in path';
    } else if (c === PERCENT && isForbiddenEscape(path.charCodeAt(i + 1), path.charCodeAt(i + 2))) {
      return 'encoded dot, slash, backslash or NUL in path';
    }
  }
  return undefined;
}

/** `%2e`, `%2f`, `%5c`, `%00` in either case. */
function isForbiddenEscape(h1: number, h2: number): boolean {
  const lo = h2 | 0x20; // ASCII lower case for letters
  if (h1 === 0x32) return lo === 0x65 || lo === 0x66; // 2e 2f
  if (h1 === 0x35) return lo === 0x63; // 5c
  return h1 === 0x30 && h2 === 0x30; // 00
}
