/** Validation of every URL a format produces, and host formatting (IPv6 brackets). */

/** The outcome of {@link checkBackendUrl}. */
export type UrlCheck = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

/** Host names that only ever come from a bug upstream (Knox's `http://null:8082`). */
const BOGUS_HOSTS = new Set(['null', 'undefined', 'none', '']);

/**
 * Checks that `raw` is a usable backend URL: absolute http or https, a host that is not a bug
 * artefact such as `null`, an explicit port (if any) in 1..65535, no credentials, query or fragment.
 * Returns the trimmed URL exactly as given (sticky cookies hash the URL as listed), or a reason.
 */
export function checkBackendUrl(raw: string): UrlCheck {
  const url = raw.trim();
  if (url === '') return { ok: false, reason: 'empty URL' };
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return { ok: false, reason: 'URL contains whitespace or control characters' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: `scheme ${parsed.protocol.replace(/:$/, '')} is not http or https` };
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(url)) return { ok: false, reason: 'no host' };
  const host = parsed.hostname.toLowerCase();
  if (BOGUS_HOSTS.has(host)) return { ok: false, reason: `bad host "${host}"` };
  const explicitPort = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]*\]|[^/:?#]*):(\d*)(?:[/?#]|$)/i.exec(url);
  if (explicitPort) {
    const port = Number(explicitPort[1]);
    if (explicitPort[1] === '' || !Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, reason: `bad port "${explicitPort[1] ?? ''}"` };
  }
  if (parsed.username !== '' || parsed.password !== '') return { ok: false, reason: 'credentials in URL' };
  if (parsed.search !== '' || parsed.hash !== '' || url.includes('?') || url.includes('#')) return { ok: false, reason: 'query or fragment in URL' };
  return { ok: true, url };
}

/** `host` as it goes into a URL: IPv6 literals bracketed, brackets never doubled. */
export function urlHost(host: string): string {
  const h = host.trim();
  if (h.startsWith('[') && h.endsWith(']')) return h;
  return h.includes(':') ? `[${h}]` : h;
}

/** True for a port number in 1..65535. */
export function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Parses a decimal port string (surrounding whitespace allowed); undefined when not a port. */
export function parsePort(s: string): number | undefined {
  const t = s.trim();
  if (!/^\d{1,5}$/.test(t)) return undefined;
  const n = Number(t);
  return isPort(n) ? n : undefined;
}

/** A host name or address we accept in a built URL: no spaces, slashes, `@` or other URL syntax. */
export function isPlausibleHost(host: string): boolean {
  const h = host.trim();
  if (h === '' || BOGUS_HOSTS.has(h.toLowerCase())) return false;
  if (h.startsWith('[') && h.endsWith(']')) return /^\[[0-9a-f:.%a-z]+\]$/i.test(h);
  if (h.includes(':')) return /^[0-9a-f:.]+$/i.test(h);
  return /^[a-z0-9_.-]+$/i.test(h) && !h.startsWith('.') && !h.startsWith('-');
}
