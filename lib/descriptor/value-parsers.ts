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

/** Host names that only ever come from a bug upstream (a template printing `null`, Knox's `http://null:8082`). */
const BOGUS_HOSTS: ReadonlySet<string> = new Set(['null', 'undefined']);

/** `scheme://authority rest` of an absolute URL as written (before any WHATWG normalisation). */
const AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/;

/**
 * Checks one backend URL as written (trimmed): an absolute `http`/`https` URL with a `//` authority,
 * a non-empty host that is not the literal `null`/`undefined`, IPv6 only in brackets, an explicit
 * port (if any) in 1..65535, and no credentials, query or fragment. Returns the problem, or
 * undefined when the URL is usable. WHATWG `URL` alone is too lenient: it reads `http:nn1:50070` and
 * `http:///x` as having a host.
 */
export function checkBackendUrl(url: string): string | undefined {
  const raw = url.trim();
  if (raw === '') return 'empty URL';
  // Messages end up in logs: never echo a query string or fragment (SPEC §7).
  const shown = raw.replace(/[?#][\s\S]*$/, '?…');
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return `URL contains whitespace or control characters: ${JSON.stringify(shown)}`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) return `not an absolute URL: "${shown}"`;
  if (scheme !== 'http' && scheme !== 'https') return `expected an http or https URL, got "${shown}"`;
  const authority = AUTHORITY.exec(raw)?.[2];
  if (authority === undefined) return `expected ${scheme}://host, got "${shown}"`;
  // Checked before anything that echoes the URL, so that a password never reaches a message or log.
  if (authority.includes('@')) return 'URL must not contain credentials';
  const problem = checkAuthority(authority, shown);
  if (problem !== undefined) return problem;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return `not a valid URL: "${shown}"`;
  }
  if (parsed.search !== '' || raw.includes('?')) return `URL must not have a query: "${shown}"`;
  if (parsed.hash !== '' || raw.includes('#')) return `URL must not have a fragment: "${shown}"`;
  return undefined;
}

function checkAuthority(authority: string, raw: string): string | undefined {
  const bracketed = /^(\[[^\]]*\])(?::(.*))?$/.exec(authority);
  if (!bracketed && authority.startsWith('[')) return `malformed IPv6 literal: "${raw}"`;
  if (!bracketed && (authority.match(/:/g) ?? []).length > 1) return `an IPv6 address must be in brackets, e.g. http://[::1]:8080, got "${raw}"`;
  const host = bracketed ? bracketed[1]! : authority.replace(/:.*$/, '');
  const port = bracketed ? bracketed[2] : authority.includes(':') ? authority.slice(authority.indexOf(':') + 1) : undefined;
  if (host === '' || host === '[]') return `URL has no host: "${raw}"`;
  if (BOGUS_HOSTS.has(host.toLowerCase())) return `host "${host}" is not a real host (a bug upstream?): "${raw}"`;
  if (port !== undefined) {
    const n = /^\d+$/.test(port) ? Number(port) : NaN;
    if (!(n >= 1 && n <= 65535)) return `port must be 1..65535, got "${port}": "${raw}"`;
  }
  return undefined;
}
