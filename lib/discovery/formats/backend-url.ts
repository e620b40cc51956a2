/** Validation of every URL a format produces (the descriptor's rules, plus discovery's own), and host formatting (IPv6 brackets). */
import { checkBackendUrl as checkUrlRules } from '../../descriptor/index.js';

/** The outcome of {@link checkBackendUrl}. */
export type UrlCheck = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

/** Host names that only ever come from a bug upstream (Knox's `http://null:8082`). */
const BOGUS_HOSTS = new Set(['null', 'undefined', 'none', '']);

/**
 * Checks that `raw` is a usable backend URL by the descriptor's rules (lib/descriptor
 * `checkBackendUrl`: absolute http or https with a host, port 1..65535, no credentials, query or
 * fragment, host not `null`/`undefined`) and, for discovered URLs, a host that is not `none` either
 * (a placeholder some registrations write). Returns the trimmed URL exactly as given (sticky cookies
 * hash the URL as listed), or the reason.
 */
export function checkBackendUrl(raw: string): UrlCheck {
  const url = raw.trim();
  const problem = checkUrlRules(url);
  if (problem !== undefined) return { ok: false, reason: problem };
  const host = new URL(url).hostname.toLowerCase();
  if (BOGUS_HOSTS.has(host)) return { ok: false, reason: `host "${host}" is not a real host (a bug upstream?): "${url}"` };
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
