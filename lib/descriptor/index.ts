/**
 * lib/descriptor: Knox HA descriptors (`<ha>`) and topologies (`<topology>`) → validated, frozen
 * TopologyConfigs; storing, converting, format-preserving edits and migration. Pure except load.ts.
 */
export * from './service-config.js';
export { parseDescriptor, topologyNameOf, type ParseResult } from './parse-descriptor.js';
export { loadDescriptorFile, loadDescriptorDir, readTextFile, readFileBytes, descriptorErrorOf, type DirLoadResult } from './load.js';
export { decodeDescriptorBytes } from './decode-text.js';
export { storeDescriptor, KNOX_XML_DECLARATION } from './store.js';
export { convertTopology } from './convert.js';
export { formatDiagnostic, didYouMean } from './diagnostics.js';
export { ATTRIBUTES, ATTRIBUTE_NAMES, REMOVED_KNOX_KEYS, isAttributeName, type AttributeName, type AttributeSpec } from './attributes.js';
export { ineffectiveSettings, type Ineffective } from './ineffective.js';
export { parseParamString, type ParamPair, type ParamProblem } from './param-string.js';
export { editServiceAttributes, checkEdit, type AttributeEdit, type EditOutcome } from './edit.js';
export { migrateDescriptor, fixKey, type MigrateOutcome } from './migrate.js';
export { unifiedDiff } from './unified-diff.js';
export { checkBackendUrl } from './value-parsers.js';
export { checkZookeeperEnsemble } from './zookeeper-ensemble.js';
