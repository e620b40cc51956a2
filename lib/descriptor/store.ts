/** `storeDescriptor`: services → `<ha>` XML that Knox loads and that loads back to the same config. */
import type { ServiceConfig } from '../core/index.js';
import { ATTRIBUTE_NAMES, ATTRIBUTES } from './attributes.js';

/** The XML declaration Knox's serializer writes. */
export const KNOX_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Escapes a value for a double-quoted attribute (line breaks and tabs survive attribute normalisation). */
export function escapeAttribute(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Escapes element text. */
export function escapeText(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `name="value"` pairs of one service, sorted as the JDK serializer sorts them (UTF-16 code units). */
export function serviceAttributes(svc: ServiceConfig): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name of ATTRIBUTE_NAMES) {
    const value = ATTRIBUTES[name].store(svc);
    if (value !== undefined) pairs.push([name, value]);
  }
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Serialises services the way Knox's HaDescriptorManager.store does (declaration with
 * standalone="yes", 2-space indent, attributes alphabetical, every attribute Knox always writes),
 * plus our extension attributes when they differ from their defaults and static URLs as child
 * `<url>` elements. Services keep the given order. Invariant: parseDescriptor(storeDescriptor(s)) gives s.
 */
export function storeDescriptor(services: readonly ServiceConfig[]): string {
  if (services.length === 0) return `${KNOX_XML_DECLARATION}\n<ha/>\n`;
  const lines = [KNOX_XML_DECLARATION, '<ha>'];
  for (const svc of services) {
    const attrs = serviceAttributes(svc).map(([k, v]) => `${k}="${escapeAttribute(v)}"`).join(' ');
    if (svc.urls.length === 0) {
      lines.push(`  <service ${attrs}/>`);
      continue;
    }
    lines.push(`  <service ${attrs}>`);
    for (const url of svc.urls) lines.push(`    <url>${escapeText(url)}</url>`);
    lines.push('  </service>');
  }
  lines.push('</ha>');
  return lines.join('\n') + '\n';
}
