/** What migration does with one key or attribute name: keep it, drop it (Knox removed it) or fix its spelling. */
import { ATTRIBUTE_NAMES, REMOVED_KNOX_KEYS } from './attributes.js';

/** Misspellings seen in the wild (CB-9745 writes the plural), lower-cased → correct name. */
const MISSPELLINGS: Readonly<Record<string, string>> = { enablestickysessions: 'enableStickySession' };

/** What to do with one key. */
export type KeyFix = { readonly kind: 'keep' } | { readonly kind: 'drop' } | { readonly kind: 'rename'; readonly to: string };

/** Decides what migration does with a key or attribute name (removed keys match in any case). */
export function fixKey(key: string): KeyFix {
  const lower = key.toLowerCase();
  if (REMOVED_KNOX_KEYS.some((r) => r.toLowerCase() === lower)) return { kind: 'drop' };
  if ((ATTRIBUTE_NAMES as readonly string[]).includes(key)) return { kind: 'keep' };
  const to = ATTRIBUTE_NAMES.find((n) => n.toLowerCase() === lower) ?? MISSPELLINGS[lower];
  return to === undefined ? { kind: 'keep' } : { kind: 'rename', to };
}
