/**
 * A service being read from XML: its settings so far and where each came from, so that checks that
 * look at the whole service (validate-services.ts) can point at the right line.
 */
import { ATTRIBUTE_NAMES, REMOVED_KNOX_KEYS, isAttributeName, parseAttribute, type AttributeName } from './attributes.js';
import { didYouMeanSuffix, type DiagnosticSink } from './diagnostics.js';
import type { ServiceConfigInput } from './service-config.js';
import { parseBackendUrl } from './value-parsers.js';

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
}

/** A fresh draft for the element at `offset`. */
export function createDraft(name: string, offset: number): ServiceDraft {
  return { name, offset, settings: {}, offsets: new Map(), urls: [], urlOffsets: [], invalid: false };
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

/** Adds one backend URL (trimmed); a bad URL is an error. */
export function addUrl(draft: ServiceDraft, raw: string, offset: number, sink: DiagnosticSink): void {
  const value = raw.trim();
  const who = draft.name === '' ? '' : `${draft.name}: `;
  if (value === '') {
    sink.error(offset, `${who}empty <url>`);
    draft.invalid = true;
    return;
  }
  const outcome = parseBackendUrl(value);
  if (!outcome.ok) {
    sink.error(offset, `${who}bad URL: ${outcome.message}`);
    draft.invalid = true;
    return;
  }
  draft.urls.push(outcome.value);
  draft.urlOffsets.push(offset);
}

/** The makeServiceConfig input of a finished draft. */
export function draftInput(draft: ServiceDraft): ServiceConfigInput {
  return { ...draft.settings, name: draft.name, urls: [...draft.urls] };
}
