/** Reads the services of an `<ha>` descriptor (Knox's ha.xml plus child `<url>` elements). */
import type { DiagnosticSink } from './diagnostics.js';
import { addUrl, applySetting, createDraft, type ServiceDraft } from './service-draft.js';
import { attributeValue, type XmlElement } from './xml-tree.js';

/** One draft per `<service>` child of the root, in document order. */
export function readHaServices(root: XmlElement, sink: DiagnosticSink): ServiceDraft[] {
  if (root.attributes.length > 0) sink.warning(root.attributes[0]!.offset, `attributes of <ha> are ignored`);
  const drafts: ServiceDraft[] = [];
  for (const el of root.children) {
    if (el.name === 'service') drafts.push(readService(el, sink));
    else sink.warning(el.offset, `unknown element <${el.name}> in <ha> is ignored`);
  }
  return drafts;
}

function readService(el: XmlElement, sink: DiagnosticSink): ServiceDraft {
  const draft = createDraft(attributeValue(el, 'name')?.trim() ?? '', el.offset);
  for (const attr of el.attributes) applySetting(draft, attr.name, attr.value, attr.offset, 'attribute', sink);
  if (draft.name === '') {
    sink.error(el.offset, '<service> without a name attribute');
    draft.invalid = true;
  }
  for (const child of el.children) {
    if (child.name === 'url') addUrl(draft, child.text, child.offset, sink);
    else sink.warning(child.offset, `${draft.name}: unknown element <${child.name}> in <service> is ignored`);
  }
  return draft;
}
