/**
 * Checks that look at a whole service or at all services: duplicates, ineffective combinations,
 * where the backend list comes from. Builds the ServiceConfigs when nothing is wrong.
 *
 * A service with a refused value is still checked (its name and path are recorded, so a duplicate
 * or a path clash is reported, and its ineffective settings are warned about): only its config is
 * not built. Checks that depend on a refused value are skipped rather than guessed.
 */
import type { ServiceConfig } from '../core/index.js';
import type { DiagnosticSink } from './diagnostics.js';
import { ineffectiveSettings } from './ineffective.js';
import { makeServiceConfig } from './service-config.js';
import { draftInput, type ServiceDraft } from './service-draft.js';
import { parsePathSegment } from './value-parsers.js';

/** The flags every ineffective check depends on: when one was refused, those checks cannot tell. */
const SWITCHES: readonly string[] = ['enableLoadBalancing', 'enableStickySession'];

/** Runs every cross-check; returns the built services (meaningful only when the sink has no errors). */
export function buildServices(drafts: readonly ServiceDraft[], sink: DiagnosticSink): ServiceConfig[] {
  const services: ServiceConfig[] = [];
  const byName = new Map<string, ServiceDraft>();
  const byPath = new Map<string, ServiceDraft>();
  for (const draft of drafts) {
    // Built from the values that were accepted (refused ones take their defaults), for the checks only.
    const svc = makeServiceConfig(draftInput(draft));
    if (draft.name === '' || !checkUnique(draft, svc, byName, byPath, sink)) continue;
    checkSource(draft, svc, sink);
    if (!SWITCHES.some((k) => draft.refused.has(k))) warnIneffective(draft, svc, sink);
    if (!draft.invalid) services.push(svc);
  }
  return services;
}

function warnIneffective(draft: ServiceDraft, svc: ServiceConfig, sink: DiagnosticSink): void {
  for (const i of ineffectiveSettings(svc)) {
    const at = draft.offsets.get(i.key);
    if (at !== undefined && !draft.refused.has(i.key)) sink.warning(at, `${svc.name}: ${i.key} is ineffective: ${i.reason}`);
  }
}

function checkUnique(
  draft: ServiceDraft, svc: ServiceConfig, byName: Map<string, ServiceDraft>, byPath: Map<string, ServiceDraft>, sink: DiagnosticSink,
): boolean {
  const first = byName.get(svc.name);
  if (first) {
    sink.error(draft.offset, `duplicate service "${svc.name}" (first defined at line ${sink.lineOf(first.offset)})`);
    return false;
  }
  byName.set(svc.name, draft);
  // A refused name or path has been reported already; its default path would only add noise.
  if (draft.refused.has('name') || draft.refused.has('path')) return true;
  if (draft.settings.path === undefined && !parsePathSegment(svc.path).ok) {
    sink.error(draft.offset, `${svc.name}: the name does not make a valid path segment; set a path attribute`);
    return false;
  }
  const samePath = byPath.get(svc.path);
  if (samePath) {
    sink.error(draft.offsets.get('path') ?? draft.offset, `${svc.name}: path "${svc.path}" is already used by service "${samePath.name}" (line ${sink.lineOf(samePath.offset)})`);
    return false;
  }
  byPath.set(svc.path, draft);
  return true;
}

function checkSource(draft: ServiceDraft, svc: ServiceConfig, sink: DiagnosticSink): void {
  const nsOffset = draft.offsets.get('zookeeperNamespace');
  const badEnsemble = draft.refused.has('zookeeperEnsemble');
  if (svc.zookeeperNamespace !== undefined && svc.zookeeperEnsemble === undefined && nsOffset !== undefined && !badEnsemble) {
    sink.warning(nsOffset, `${svc.name}: zookeeperNamespace is ignored without a zookeeperEnsemble`);
  }
  if (svc.zookeeperEnsemble !== undefined && svc.urls.length > 0) {
    sink.warning(draft.urlOffsets[0] ?? draft.offset, `${svc.name}: the <url>s are ignored: zookeeperEnsemble is set and ZooKeeper wins`);
  }
  const unsure = draft.refused.has('url') || draft.refused.has('enabled') || badEnsemble;
  if (svc.enabled && svc.zookeeperEnsemble === undefined && svc.urls.length === 0 && !unsure) {
    sink.warning(draft.offset, `${svc.name}: no <url> and no zookeeperEnsemble: the service will answer 503`);
  }
}
