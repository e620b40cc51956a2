/**
 * `curator`: Apache Curator service discovery. Each child's data is a ServiceInstance as Curator's
 * JsonInstanceSerializer writes it: `{name, id, address, port, sslPort, payload,
 * registrationTimeUTC, serviceType, uriSpec: {parts: [{value, variable}]}, enabled?}`.
 */
import { isPlausibleHost, isPort, urlHost } from './backend-url.js';
import { dataJsonObject } from './parse-children.js';
import type { ChildOutcome, ZnodeChild } from './types.js';

type Instance = Record<string, unknown>;

/** Curator's UriSpec variables (org.apache.curator.x.discovery.UriSpec), given the instance. */
function variable(name: string, inst: Instance): string | undefined {
  const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  switch (name) {
    case 'scheme': return isPort(inst['sslPort']) ? 'https' : 'http';
    case 'address': return typeof inst['address'] === 'string' ? urlHost(inst['address']) : undefined;
    case 'port': return isPort(inst['port']) ? String(inst['port']) : undefined;
    case 'ssl-port': return isPort(inst['sslPort']) ? String(inst['sslPort']) : undefined;
    case 'name': return text(inst['name']);
    case 'id': return text(inst['id']);
    case 'registration-time-utc': return text(inst['registrationTimeUTC']);
    case 'service-type': return text(inst['serviceType']);
    case 'open-brace': return '{';
    case 'closed-brace': return '}';
    default: return undefined;
  }
}

/** Builds the URI from `uriSpec.parts`, or returns why it cannot. */
export function buildFromUriSpec(parts: readonly unknown[], inst: Instance): { url: string } | { reason: string } {
  let url = '';
  for (const part of parts) {
    if (typeof part !== 'object' || part === null) return { reason: 'bad uriSpec part' };
    const { value, variable: isVariable } = part as { value?: unknown; variable?: unknown };
    if (typeof value !== 'string') return { reason: 'bad uriSpec part' };
    if (isVariable !== true) { url += value; continue; }
    const resolved = variable(value, inst);
    if (resolved === undefined) return { reason: `uriSpec variable {${value}} has no value` };
    url += resolved;
  }
  return { url };
}

/** One ServiceInstance → its URI (uriSpec), else `https://address:sslPort`, else `http://address:port`. */
export function parseCuratorChild(child: ZnodeChild): ChildOutcome {
  const inst = dataJsonObject(child);
  if (typeof inst === 'string') return { kind: 'skip', reason: inst };
  if (inst['enabled'] === false) return { kind: 'ignore' };
  const address = inst['address'];
  if (typeof address !== 'string' || !isPlausibleHost(address)) return { kind: 'skip', reason: 'no usable address' };
  const spec = inst['uriSpec'];
  if (typeof spec === 'object' && spec !== null && Array.isArray((spec as { parts?: unknown }).parts)) {
    const parts = (spec as { parts: unknown[] }).parts;
    if (parts.length > 0) {
      const built = buildFromUriSpec(parts, inst);
      return 'url' in built ? { kind: 'url', url: built.url } : { kind: 'skip', reason: built.reason };
    }
  }
  if (isPort(inst['sslPort'])) return { kind: 'url', url: `https://${urlHost(address)}:${inst['sslPort']}` };
  if (isPort(inst['port'])) return { kind: 'url', url: `http://${urlHost(address)}:${inst['port']}` };
  return { kind: 'skip', reason: 'no port and no sslPort' };
}
