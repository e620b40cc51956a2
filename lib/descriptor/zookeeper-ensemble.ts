/**
 * The one check of a ZooKeeper connect string (`zookeeperEnsemble`, `register --zookeeper`):
 * `host[:port][,host[:port]...][/chroot]`, as ZooKeeper's ConnectStringParser reads it. The
 * descriptor parser uses it, so that a bad ensemble is a validation error instead of a crash of a
 * running gateway (node-zookeeper-client hands the port to net.connect, which throws from a timer).
 */

/** A host name or IPv4 address: letters, digits, `.`, `-` and `_` (ZooKeeper allows `_`). */
const HOST = /^[A-Za-z0-9_.-]+$/;

/** What a connect string looks like, appended to every problem. */
const EXPECTED = 'expected host[:port][,host[:port]...][/chroot]';

/**
 * Returns the problem with the connect string `s` (already trimmed), or undefined when it is usable:
 * one or more comma-separated `host[:port]` (port 1..65535; 2181 when left out), then optionally one
 * `/chroot` path without a trailing `/`, empty segments or `.`/`..` segments. IPv6 addresses are
 * refused: the ZooKeeper client splits each entry on `:` and cannot connect to them.
 */
export function checkZookeeperEnsemble(s: string): string | undefined {
  if (s === '') return `empty connect string (${EXPECTED})`;
  if (/\s/.test(s)) return `must not contain whitespace, got "${s}" (${EXPECTED})`;
  const slash = s.indexOf('/');
  const hosts = slash < 0 ? s : s.slice(0, slash);
  if (hosts === '') return `no host before the chroot in "${s}" (${EXPECTED})`;
  for (const entry of hosts.split(',')) {
    if (entry.startsWith('[') || (entry.match(/:/g) ?? []).length > 1) {
      return `IPv6 address "${entry}" is not supported by the ZooKeeper client; use a host name or an IPv4 address`;
    }
    const problem = checkHostPort(entry);
    if (problem !== undefined) return `${problem} in "${s}" (${EXPECTED})`;
  }
  return slash < 0 ? undefined : checkChroot(s.slice(slash), s);
}

function checkHostPort(entry: string): string | undefined {
  if (entry === '') return 'empty host (two commas in a row, or a comma at the start or end)';
  const colon = entry.indexOf(':');
  const host = colon < 0 ? entry : entry.slice(0, colon);
  if (host === '') return 'empty host before the ":"';
  if (!HOST.test(host)) return `bad host "${host}" (letters, digits, ".", "-" and "_" only)`;
  if (colon < 0) return undefined;
  const port = entry.slice(colon + 1);
  const n = /^[0-9]{1,5}$/.test(port) ? Number(port) : NaN;
  return n >= 1 && n <= 65535 ? undefined : `port must be 1..65535, got "${port}"`;
}

function checkChroot(chroot: string, s: string): string | undefined {
  const where = `chroot "${chroot}" in "${s}"`;
  if (chroot.includes(',')) return `${where} contains ",": the /chroot comes once, after the last host (${EXPECTED})`;
  if (chroot.endsWith('/')) return `${where} must not end with "/"${chroot === '/' ? ' (leave it out for no chroot)' : ''}`;
  const segments = chroot.slice(1).split('/');
  if (segments.includes('')) return `${where} has an empty segment ("//")`;
  if (segments.some((x) => x === '.' || x === '..')) return `${where} must not contain "." or ".." segments`;
  return undefined;
}
