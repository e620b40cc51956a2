/**
 * Lower-case header names from undici's raw response headers (Buffers) without a string
 * allocation for the names backends send on nearly every response: a known name is matched byte by
 * byte, case-insensitively, and returned as a shared constant; any other name is decoded and
 * lower-cased.
 */

/** Response header names common enough to be worth a constant (lower case, ASCII). */
const COMMON = [
  'date', 'etag', 'vary', 'server', 'expires', 'location', 'connection', 'keep-alive', 'set-cookie',
  'content-type', 'last-modified', 'cache-control', 'accept-ranges', 'content-length', 'content-encoding',
  'transfer-encoding', 'www-authenticate', 'x-content-type-options', 'strict-transport-security',
] as const;

/** The common names by length. */
const BY_LENGTH: readonly (readonly string[])[] = (() => {
  const table: string[][] = [];
  for (const name of COMMON) (table[name.length] ??= []).push(name);
  return table;
})();

/**
 * Whether `raw` spells `name` (lower case) in any letter case. OR-ing 0x20 folds ASCII upper case
 * onto lower case and leaves '-' and digits as they are; the only other byte it could fold onto a
 * byte of `name` is a control character, which Node's and undici's parsers never let into a name.
 */
function spells(raw: Buffer, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (((raw[i] as number) | 0x20) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** The lower-case name of one raw header name. */
export function lowerHeaderName(raw: Buffer | string): string {
  if (typeof raw === 'string') return raw.toLowerCase();
  const candidates = BY_LENGTH[raw.length];
  if (candidates !== undefined) {
    for (let i = 0; i < candidates.length; i++) {
      const name = candidates[i] as string;
      if (spells(raw, name)) return name;
    }
  }
  return raw.toString('latin1').toLowerCase();
}
