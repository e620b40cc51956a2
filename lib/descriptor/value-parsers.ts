/**
 * Parsers for attribute and parameter values. Input is already trimmed and non-blank (a blank value
 * means "default", Knox's rule). Knox silently turns a bad boolean into false and crashes on a bad
 * integer; we report both as errors instead.
 */

/** A parsed value, or the reason it was refused. `warnings` are non-fatal remarks. */
export type ParseOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly warnings?: readonly string[] }
  | { readonly ok: false; readonly message: string };

const INT32_MAX = 2 ** 31 - 1;

/** The characters of an HTTP token (RFC 9110) and of a cookie name (RFC 6265). */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Shorthand for a successful outcome. */
export function ok<T>(value: T, warnings?: readonly string[]): ParseOutcome<T> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}

/** Shorthand for a refused value. */
export function fail<T>(message: string): ParseOutcome<T> {
  return { ok: false, message };
}

/** `true`/`false` in any case; anything else is refused (Knox would read it as false). */
export function parseBoolean(raw: string): ParseOutcome<boolean> {
  const v = raw.toLowerCase();
  if (v === 'true') return ok(true);
  if (v === 'false') return ok(false);
  return fail(`expected true or false, got "${raw}"`);
}

/**
 * An integer as Java's Integer.parseInt reads it (optional sign, decimal digits, 32-bit range),
 * then refused when negative or below `min`.
 */
export function parseInteger(raw: string, min: number): ParseOutcome<number> {
  if (!/^[+-]?[0-9]+$/.test(raw)) return fail(`expected an integer ≥ ${min}, got "${raw}"`);
  const n = Number(raw);
  if (Math.abs(n) > INT32_MAX) return fail(`integer out of range (at most ${INT32_MAX}), got "${raw}"`);
  if (n < 0) return fail(`must not be negative, got "${raw}"`);
  if (n < min) return fail(`must be at least ${min}, got "${raw}"`);
  return ok(n === 0 ? 0 : n);
}

/** One of `values`, matched case-insensitively, returned in its canonical spelling. */
export function parseChoice<T extends string>(raw: string, values: readonly T[]): ParseOutcome<T> {
  const found = values.find((v) => v.toLowerCase() === raw.toLowerCase());
  return found === undefined ? fail(`expected one of ${values.join(', ')}, got "${raw}"`) : ok(found);
}

/** A string kept as given (trimmed). */
export function parseString(raw: string): ParseOutcome<string> {
  return ok(raw);
}

/** An HTTP token such as a cookie or header name. */
export function parseToken(raw: string, what: string): ParseOutcome<string> {
  return TOKEN.test(raw) ? ok(raw) : fail(`${what} must be a token (letters, digits and !#$%&'*+-.^_\`|~), got "${raw}"`);
}

/** A gateway path segment: `[A-Za-z0-9._~-]+`, not `.` or `..`. */
export function parsePathSegment(raw: string): ParseOutcome<string> {
  if (!/^[A-Za-z0-9._~-]+$/.test(raw) || raw === '.' || raw === '..') {
    return fail(`expected one URL path segment of letters, digits and . _ ~ -, got "${raw}"`);
  }
  return ok(raw);
}

/**
 * Knox's user-agent list: split on commas, entries trimmed. Empty entries are dropped with a warning,
 * because in Knox an empty entry matches every user agent and turns load balancing off for everyone.
 */
export function parseUserAgents(raw: string): ParseOutcome<readonly string[]> {
  const parts = raw.split(',').map((p) => p.trim());
  const kept = parts.filter((p) => p !== '');
  const warnings = kept.length < parts.length
    ? ['empty entry dropped (in Knox an empty entry disables load balancing for every user agent)']
    : [];
  return ok(Object.freeze(kept), warnings);
}

/**
 * An absolute http(s) URL without query, fragment or credentials. Returns the URL as written
 * (trimmed): Knox's sticky cookie is the hash of the URL exactly as listed.
 */
export function parseBackendUrl(raw: string): ParseOutcome<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`not an absolute URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`expected an http or https URL, got "${raw}"`);
  if (url.hostname === '') return fail(`URL has no host: "${raw}"`);
  if (url.username !== '' || url.password !== '') return fail('URL must not contain credentials');
  if (url.search !== '' || raw.includes('?')) return fail(`URL must not have a query: "${raw}"`);
  if (url.hash !== '' || raw.includes('#')) return fail(`URL must not have a fragment: "${raw}"`);
  return ok(raw);
}
