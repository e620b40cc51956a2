/**
 * Cookie header scanning without split/map/regex: find every pair with a given name (Knox
 * KNOX-2863: not only the first cookie), read its value, test for presence, and strip our pairs
 * before a request is forwarded. Names are case-sensitive (RFC 6265); pairs are separated by `;`.
 */

/** At most this many characters of a header are scanned for our cookie (bounds hostile input). */
export const MAX_COOKIE_HEADER_SCAN = 65_536;

/**
 * Position just after the `=` of the next pair named `name` starting at or after `from`, or -1.
 * A match must start a pair (header start or `;` plus optional whitespace) and be followed by
 * optional whitespace and `=`; `XNAME=` and `NAME2=` do not match `NAME`.
 */
export function findCookie(header: string, name: string, from: number): number {
  if (name.length === 0) return -1;
  let i = header.indexOf(name, from);
  while (i >= 0 && i < MAX_COOKIE_HEADER_SCAN) {
    if (startsPair(header, i)) {
      let j = i + name.length;
      while (isOws(header.charCodeAt(j))) j++;
      if (header.charCodeAt(j) === 61 /* = */) return j + 1;
    }
    i = header.indexOf(name, i + 1);
  }
  return -1;
}

/** The value starting at `start` (from {@link findCookie}): up to `;`, whitespace and one DQUOTE pair stripped. */
export function cookieValueAt(header: string, start: number): string {
  let end = header.indexOf(';', start);
  if (end < 0) end = header.length;
  let a = skipOws(header, start, end);
  let b = trimOwsEnd(header, a, end);
  if (b - a >= 2 && header.charCodeAt(a) === 34 && header.charCodeAt(b - 1) === 34) {
    a++;
    b--;
  }
  return header.slice(a, b);
}

/** True when `header` carries at least one pair named `name` (any value, even empty). */
export function hasCookie(header: string | undefined, name: string): boolean {
  return header !== undefined && findCookie(header, name, 0) >= 0;
}

/**
 * Removes every pair named `name`. The other pairs are kept byte-for-byte (outer whitespace
 * trimmed) and joined with `; `; a header without our cookie is returned unchanged. Returns
 * undefined when nothing is left.
 */
export function stripCookie(header: string, name: string): string | undefined {
  // The whole header is one pair of ours (an API client's usual Cookie): nothing is left.
  if (header.indexOf(';') < 0 && isPairNamed(header, skipOws(header, 0, header.length), header.length, name)) return undefined;
  if (findCookie(header, name, 0) < 0) return isBlank(header) ? undefined : header;
  const kept: string[] = [];
  let start = 0;
  while (start <= header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const a = skipOws(header, start, end);
    const b = trimOwsEnd(header, a, end);
    if (b > a && !isPairNamed(header, a, b, name)) kept.push(header.slice(a, b));
    start = end + 1;
  }
  return kept.length === 0 ? undefined : kept.join('; ');
}

function startsPair(header: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && isOws(header.charCodeAt(k))) k--;
  return k < 0 || header.charCodeAt(k) === 59; /* ; */
}

/** The trimmed pair header[a, b) is named `name`. */
function isPairNamed(header: string, a: number, b: number, name: string): boolean {
  if (!header.startsWith(name, a)) return false;
  let j = a + name.length;
  while (j < b && isOws(header.charCodeAt(j))) j++;
  return j < b && header.charCodeAt(j) === 61;
}

function isOws(c: number): boolean {
  return c === 32 || c === 9;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isOws(text.charCodeAt(i)) && text.charCodeAt(i) !== 59) return false;
  return true;
}

/** First index in [a, b) that is not optional whitespace (b when there is none). */
function skipOws(header: string, a: number, b: number): number {
  while (a < b && isOws(header.charCodeAt(a))) a++;
  return a;
}

/** End of [a, b) with trailing optional whitespace removed. */
function trimOwsEnd(header: string, a: number, b: number): number {
  while (b > a && isOws(header.charCodeAt(b - 1))) b--;
  return b;
}
