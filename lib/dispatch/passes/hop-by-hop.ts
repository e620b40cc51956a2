/**
 * Hop-by-hop headers (RFC 9110 §7.6.1, plus the de-facto `Keep-Alive`, `Proxy-Connection` and the
 * `Proxy-*` auth pair): meaningful only for one connection, never forwarded in either direction.
 * `Authorization` is end-to-end and is kept.
 */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

/**
 * The header names listed in a `Connection` header value (lower-case), except `close` and
 * `keep-alive` which are already hop-by-hop; undefined when nothing extra is named.
 */
export function connectionTokens(value: string): ReadonlySet<string> | undefined {
  // Nearly every Connection header is just `keep-alive` or `close`: no split, no Set.
  if (value.length <= 10 && isPlainConnection(value.toLowerCase())) return undefined;
  let names: Set<string> | undefined;
  for (const part of value.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '' || name === 'close' || name === 'keep-alive') continue;
    (names ??= new Set()).add(name);
  }
  return names;
}

function isPlainConnection(lower: string): boolean {
  return lower === 'keep-alive' || lower === 'close';
}

/** Removes from a flat `[name, value, …]` list (lower-case names) every header named in `names`. */
export function removeNamed(headers: string[], names: ReadonlySet<string>): void {
  let w = 0;
  for (let r = 0; r < headers.length; r += 2) {
    const name = headers[r] as string;
    if (names.has(name)) continue;
    headers[w] = name;
    headers[w + 1] = headers[r + 1] as string;
    w += 2;
  }
  headers.length = w;
}
