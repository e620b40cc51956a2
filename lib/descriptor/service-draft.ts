/**
 * A service being read from XML: its settings so far and where each came from, so that checks that
 * look at the whole service (validate-services.ts) can point at the right line.
 */
import { ATTRIBUTE_NAMES, REMOVED_KNOX_KEYS, isAttributeName, parseAttribute, type AttributeName } from './attributes.js';
import { didYouMeanSuffix, type DiagnosticSink } from './diagnostics.js';
import type { ServiceConfigInput } from './service-config.js';
import { checkBackendUrl } from './value-parsers.js';

/** Mutable settings of a draft (all optional; defaults are applied by makeServiceConfig). */
export type DraftSettings = { -readonly [K in AttributeName]?: Exclude<ServiceConfigInput[K], undefined> };

/** A service under construction. */
export interface ServiceDraft {
  /** The name; empty until known. */
  name: string;
  /** Offset of the element that defines the service. */
  readonly offset: number;
  readonly settings: DraftSettings;
  /** Offset of each setting's attribute or key, by name. */
  readonly offsets: Map<string, number>;
  readonly urls: string[];
  readonly urlOffsets: number[];
  /** Set when a value was refused: the service is not built. */
  invalid: boolean;
  /** The attributes (and `url`) whose value was refused: checks that depend on them are skipped. */
  readonly refused: Set<string>;
}

/** A fresh draft for the element at `offset`. */
export function createDraft(name: string, offset: number): ServiceDraft {
  return { name, offset, settings: {}, offsets: new Map(), urls: [], urlOffsets: [], invalid: false, refused: new Set() };
}

/** What the key is called in messages: an XML attribute or a topology parameter key. */
export type KeyKind = 'attribute' | 'key';

/**
 * Applies one attribute (or topology key) with Knox's rules plus ours: unknown names are warned about
 * (with a did-you-mean), removed Knox keys are warned about and ignored, bad values are errors, a
 * blank value means the default.
 */
export function applySetting(draft: ServiceDraft, key: string, raw: string, offset: number, kind: KeyKind, sink: DiagnosticSink): void {
  const who = draft.name === '' ? '' : `${draft.name}: `;
  if (!isAttributeName(key)) {
    warnUnknown(who, key, offset, kind, sink);
    return;
  }
  const outcome = parseAttribute(key, raw);
  draft.offsets.set(key, offset);
  if (outcome === undefined) {
    delete draft.settings[key];
    return;
  }
  if (!outcome.ok) {
    sink.error(offset, `${who}${key}: ${outcome.message}`);
    draft.invalid = true;
    draft.refused.add(key);
    return;
  }
  for (const w of outcome.warnings ?? []) sink.warning(offset, `${who}${key}: ${w}`);
  (draft.settings as Record<string, unknown>)[key] = outcome.value;
}

function warnUnknown(who: string, key: string, offset: number, kind: KeyKind, sink: DiagnosticSink): void {
  const removed = REMOVED_KNOX_KEYS.find((r) => r.toLowerCase() === key.toLowerCase());
  if (removed !== undefined) {
    sink.warning(offset, `${who}${kind} "${key}" was removed from Knox and is ignored (npm run migrate drops it)`);
    return;
  }
  const shown = key === '' ? 'empty key' : `unknown ${kind} "${key}"`;
  sink.warning(offset, `${who}${shown} is ignored, as Knox does${didYouMeanSuffix(key, ATTRIBUTE_NAMES)}`);
}

/**
 * Adds one backend URL (trimmed); a bad URL is an error. A URL listed twice (also when written
 * differently, e.g. `HOST` vs `host`) is a warning: it gets a double share of round robin, and an
 * identical entry also has the same sticky cookie value (the hash of the URL text).
 */
export function addUrl(draft: ServiceDraft, raw: string, offset: number, sink: DiagnosticSink): void {
  const value = raw.trim();
  const who = draft.name === '' ? '' : `${draft.name}: `;
  const problem = checkBackendUrl(value);
  if (problem !== undefined) {
    sink.error(offset, `${who}${value === '' ? 'empty <url>' : `bad URL: ${problem}`}`);
    draft.invalid = true;
    draft.refused.add('url');
    return;
  }
  const same = draft.urls.findIndex((u) => new URL(u).href === new URL(value).href);
  if (same >= 0) {
    const identical = draft.urls[same] === value;
    sink.warning(offset, `${who}duplicate <url> "${value}" (same backend as line ${sink.lineOf(draft.urlOffsets[same]!)}): `
      + `it gets a double share of the round robin${identical ? ' and both entries have the same sticky cookie value' : ''}`);
  }
  draft.urls.push(value);
  draft.urlOffsets.push(offset);
}

/** The makeServiceConfig input of a finished draft. */
export function draftInput(draft: ServiceDraft): ServiceConfigInput {
  return { ...draft.settings, name: draft.name, urls: [...draft.urls] };
}
