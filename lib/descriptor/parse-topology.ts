/**
 * Reads the services of a Knox topology: the HaProvider's `<param><name>ROLE</name><value>k=v;…`
 * entries, `<service><role>ROLE</role><url>…` elements and the five service-level overrides Knox
 * accepts (haEnabled, maxFailoverAttempts, failoverSleep, zookeeperEnsemble, zookeeperNamespace).
 * A service without an HA param is not HA-managed in Knox; we still serve it, with default
 * settings, when it has URLs (a note, not a warning).
 */
import { isAttributeName, REMOVED_KNOX_KEYS } from './attributes.js';
import type { DiagnosticSink } from './diagnostics.js';
import { parseParamString } from './param-string.js';
import { addUrl, applySetting, createDraft, type ServiceDraft } from './service-draft.js';
import { childText, type XmlElement } from './xml-tree.js';

/** Drafts in document order, plus informational notes. */
export interface TopologyRead {
  readonly drafts: ServiceDraft[];
  readonly notes: string[];
}

const OVERRIDES: Readonly<Record<string, string>> = {
  haEnabled: 'enabled', maxFailoverAttempts: 'maxFailoverAttempts', failoverSleep: 'failoverSleep',
  zookeeperEnsemble: 'zookeeperEnsemble', zookeeperNamespace: 'zookeeperNamespace',
};

/** Reads `root` (a `<topology>`); `text` is the source, for exact positions inside param values. */
export function readTopologyServices(root: XmlElement, text: string, sink: DiagnosticSink): TopologyRead {
  const params = haParams(root, sink);
  const drafts: ServiceDraft[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const el of root.children.filter((c) => c.name === 'service')) {
    const role = childText(el, 'role') ?? '';
    if (role === '') {
      sink.warning(el.offset, '<service> without a <role> is ignored');
      continue;
    }
    seen.add(role);
    const param = params.get(role);
    const draft = createDraft(role, el.offset);
    if (param) applyParamValue(draft, param, text, sink);
    for (const u of el.children.filter((c) => c.name === 'url')) addUrl(draft, u.text, u.offset, sink);
    applyOverrides(draft, el, sink);
    if (param || draft.urls.length > 0) drafts.push(draft);
    if (!param) notes.push(draft.urls.length > 0
      ? `${role}: no HaProvider param; served with default HA settings over its <url>s`
      : `${role}: no HaProvider param and no <url>; not served`);
  }
  for (const [role, param] of params) {
    if (seen.has(role)) continue;
    const draft = createDraft(role, param.offset);
    applyParamValue(draft, param, text, sink);
    drafts.push(draft);
  }
  return { drafts, notes };
}

/** The HaProvider's params by role (last wins, as Knox); empty when there is none or it is disabled. */
function haParams(root: XmlElement, sink: DiagnosticSink): Map<string, XmlElement> {
  const out = new Map<string, XmlElement>();
  const providers = root.children.filter((c) => c.name === 'gateway')
    .flatMap((g) => g.children.filter((p) => p.name === 'provider' && childText(p, 'role')?.toLowerCase() === 'ha'));
  const provider = providers[0];
  if (!provider) return out;
  if (providers.length > 1) sink.warning(providers[1]!.offset, 'more than one ha provider: only the first is used');
  const name = childText(provider, 'name');
  if (name !== undefined && name !== 'HaProvider') sink.warning(provider.offset, `ha provider "${name}" is read as HaProvider`);
  if (childText(provider, 'enabled')?.toLowerCase() === 'false') {
    sink.warning(provider.offset, 'the HaProvider is disabled (<enabled>false</enabled>): its params are ignored');
    return out;
  }
  for (const p of provider.children.filter((c) => c.name === 'param')) {
    const role = childText(p, 'name') ?? '';
    if (role === '') sink.warning(p.offset, 'HaProvider <param> without a <name> is ignored');
    else if (out.has(role)) sink.warning(p.offset, `${role}: HaProvider param given twice; the last one wins`);
    if (role !== '') out.set(role, p);
  }
  return out;
}

/** Applies a `k=v;k=v` value with Knox's grammar (trimmed); positions are exact unless entities shift them. */
function applyParamValue(draft: ServiceDraft, param: XmlElement, text: string, sink: DiagnosticSink): void {
  const valueEl = param.children.find((c) => c.name === 'value');
  if (!valueEl) return;
  const value = valueEl.text;
  const exact = text.slice(valueEl.contentOffset, valueEl.contentOffset + value.length) === value;
  const at = (offset: number): number => (exact ? valueEl.contentOffset + offset : valueEl.offset);
  const { pairs, problems } = parseParamString(value);
  for (const p of problems) sink.warning(at(p.offset), `${draft.name}: ${p.message}`);
  const keys = new Set<string>();
  for (const pair of pairs) {
    if (keys.has(pair.key)) sink.warning(at(pair.offset), `${draft.name}: key "${pair.key}" given twice; the last value wins`);
    keys.add(pair.key);
    if (pair.key === 'name') sink.warning(at(pair.offset), `${draft.name}: key "name" is ignored: the param name is the role`);
    else applySetting(draft, pair.key, pair.value, at(pair.offset), 'key', sink);
  }
}

/** Service-level `<param>` overrides; HA keys Knox does not accept at service level are warned about. */
function applyOverrides(draft: ServiceDraft, service: XmlElement, sink: DiagnosticSink): void {
  for (const p of service.children.filter((c) => c.name === 'param')) {
    const name = childText(p, 'name') ?? '';
    const target = OVERRIDES[name];
    const valueEl = p.children.find((c) => c.name === 'value');
    const offset = valueEl?.offset ?? p.offset;
    if (target !== undefined) applySetting(draft, target, valueEl?.text ?? '', offset, 'key', sink);
    else if (isAttributeName(name) || REMOVED_KNOX_KEYS.includes(name)) {
      sink.warning(p.offset, `${draft.name}: Knox ignores service-level param "${name}"; set it in the HaProvider param for ${draft.name}`);
    }
  }
}
