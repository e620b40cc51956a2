/** `parseDescriptor`: XML text (an `<ha>` descriptor or a Knox `<topology>`) → a validated TopologyConfig. */
import { basename } from 'node:path';
import type { Diagnostic, ServiceConfig, TopologyConfig } from '../core/index.js';
import { createDiagnosticSink, type DiagnosticSink } from './diagnostics.js';
import { readHaServices } from './parse-ha.js';
import { readTopologyServices } from './parse-topology.js';
import { buildServices } from './validate-services.js';
import { readXmlTree } from './xml-tree.js';

/** The outcome of parsing one file. `config` is undefined when any diagnostic is an error. */
export interface ParseResult {
  readonly config: TopologyConfig | undefined;
  /** Errors and warnings, ordered by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** Informational remarks (e.g. a topology service served without an HA param); not problems. */
  readonly notes: readonly string[];
}

/** The topology name a file is served as: its base name without `.xml`. */
export function topologyNameOf(file: string): string {
  return basename(file).replace(/\.xml$/i, '');
}

/**
 * Parses and validates one descriptor. Never throws on bad input: every problem becomes a
 * diagnostic with its line and column, and `config` is then undefined. The result is frozen.
 */
export function parseDescriptor(xml: string, file: string): ParseResult {
  const sink = createDiagnosticSink(file, xml);
  const notes: string[] = [];
  let config: TopologyConfig | undefined;
  try {
    const parsed = parseInto(xml, file, sink, notes);
    config = sink.hasErrors() ? undefined : parsed;
  } catch (err) {
    // A bug of ours must not crash the gateway or a CLI run: report it as a diagnostic instead.
    sink.error(0, `internal error while reading the descriptor: ${(err as Error).message}`);
  }
  return Object.freeze({ config, diagnostics: sink.list(), notes: Object.freeze(notes) });
}

function parseInto(xml: string, file: string, sink: DiagnosticSink, notes: string[]): TopologyConfig | undefined {
  const root = readXmlTree(xml, sink);
  if (!root) return undefined;
  let kind: TopologyConfig['kind'];
  let services: ServiceConfig[];
  if (root.name === 'ha') {
    kind = 'ha';
    services = buildServices(readHaServices(root, sink), sink);
  } else if (root.name === 'topology') {
    kind = 'topology';
    const read = readTopologyServices(root, xml, sink);
    notes.push(...read.notes);
    services = buildServices(read.drafts, sink);
  } else {
    sink.error(root.offset, `the root element must be <ha> or <topology>, got <${root.name}>`);
    return undefined;
  }
  return Object.freeze({ name: topologyNameOf(file), file, kind, services: Object.freeze(services) });
}
