/** Loads the descriptor folder; a broken file keeps its topology's previous config (SPEC §3). */
import { basename } from 'node:path';
import { DescriptorError, childLogger, errFields, type TopologyConfig } from '../core/index.js';
import { loadDescriptorDir, topologyNameOf } from '../descriptor/index.js';
import type { LoadFailure } from './types.js';

const log = childLogger('gateway');

/** Topologies to serve and the files that failed (each kept its previous config, if it had one). */
export interface LoadOutcome {
  readonly topologies: readonly TopologyConfig[];
  readonly failures: readonly LoadFailure[];
}

/**
 * Loads every descriptor of `dir`. For a file that fails, the topology of the same name in
 * `previous` stays in force. Throws (HAD_ERR_FILE_IO / HAD_ERR_DESCRIPTOR_INVALID) only when the
 * folder itself cannot be read.
 */
export async function loadTopologies(dir: string, previous: readonly TopologyConfig[]): Promise<LoadOutcome> {
  const { topologies, failures } = await loadDescriptorDir(dir);
  const out = [...topologies];
  const names = new Set(out.map((t) => t.name));
  const reported: LoadFailure[] = [];
  for (const { file, error } of failures) {
    const name = topologyNameOf(file);
    const kept = previous.find((t) => t.name === name);
    if (kept && !names.has(name)) {
      out.push(kept);
      names.add(name);
    }
    const message = describeFailure(file, error);
    reported.push({ file, message });
    log.error('descriptor not loaded', { file, kept: kept !== undefined, ...errFields(error), diagnostics: diagnosticLines(error) });
  }
  return { topologies: out, failures: reported };
}

/** One line naming the file, then the reason. */
export function describeFailure(file: string, error: Error): string {
  const base = basename(file);
  return error.message.includes(base) ? error.message : `${file}: ${error.message}`;
}

function diagnosticLines(error: Error): string[] | undefined {
  if (!(error instanceof DescriptorError)) return undefined;
  return error.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
}
