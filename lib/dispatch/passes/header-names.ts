/**
 * Header text from undici's raw response headers (Buffers) with as little decoding as possible:
 * a common name is matched byte by byte, case-insensitively, and returned as a shared constant;
 * the values of headers that mostly repeat from response to response (Server, Content-Type, Date…)
 * are compared with the last value seen for that name and decoded only when they differ. Anything
 * else is decoded (and lower-cased) as usual.
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

/** Names whose values mostly repeat between responses; only these values are remembered. */
const REPEATING = [
  'date', 'vary', 'server', 'expires', 'content-type', 'cache-control', 'accept-ranges', 'content-length',
  'content-encoding', 'x-content-type-options', 'strict-transport-security',
] as const;

/** Longer values are always decoded (and never remembered). */
export const MAX_REMEMBERED_VALUE = 64;

/** The last value seen for one repeating name: its bytes and its text. */
interface ValueCell {
  readonly bytes: Uint8Array;
  length: number;
  text: string;
}

const cells: ReadonlyMap<string, ValueCell> = new Map(REPEATING.map((name): [string, ValueCell] => [
  name, { bytes: new Uint8Array(MAX_REMEMBERED_VALUE), length: -1, text: '' },
]));

function sameBytes(cell: ValueCell, raw: Buffer, length: number): boolean {
  const bytes = cell.bytes;
  for (let i = 0; i < length; i++) if (bytes[i] !== raw[i]) return false;
  return true;
}

/**
 * The text (latin1) of the value of header `name` (as returned by {@link lowerHeaderName}). For a
 * repeating name, the same bytes as last time give the same string back without decoding; new bytes
 * are decoded and remembered instead (one value per name, process-wide: a bounded cache).
 */
export function headerValue(name: string, raw: Buffer | string): string {
  if (typeof raw === 'string') return raw;
  const length = raw.length;
  const cell = cells.get(name);
  if (cell === undefined || length > MAX_REMEMBERED_VALUE) return raw.toString('latin1');
  if (cell.length === length && sameBytes(cell, raw, length)) return cell.text;
  const text = raw.toString('latin1');
  cell.bytes.set(raw);
  cell.length = length;
  cell.text = text;
  return text;
}
