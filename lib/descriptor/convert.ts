/** `convertTopology`: a Knox topology → the equivalent `<ha>` descriptor. */
import { basename } from 'node:path';
import { DescriptorError } from '../core/index.js';
import { descriptorErrorOf } from './load.js';
import { parseDescriptor } from './parse-descriptor.js';
import { KNOX_XML_DECLARATION, storeDescriptor } from './store.js';

/**
 * Converts the topology text `xml` (read from `file`) into HA descriptor XML: every HA-managed
 * service with its effective settings and URLs (see storeDescriptor). Throws DescriptorError
 * (HAD_ERR_DESCRIPTOR_INVALID) when the topology has errors or the file is not a topology.
 */
export function convertTopology(xml: string, file: string): string {
  const result = parseDescriptor(xml, file);
  if (!result.config) throw descriptorErrorOf(file, result.diagnostics);
  if (result.config.kind !== 'topology') {
    throw new DescriptorError(`${file}: not a Knox topology (the root element is <ha>): nothing to convert`, result.diagnostics);
  }
  const body = storeDescriptor(result.config.services);
  const comment = `<!-- converted from the Knox topology ${basename(file).replace(/--/g, '- -')} by hadispatch -->`;
  return body.replace(KNOX_XML_DECLARATION + '\n', `${KNOX_XML_DECLARATION}\n${comment}\n`);
}
