/** Loading descriptor files and folders (gateway startup, hot reload, the CLI). */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { childLogger, DescriptorError, FileError, HaError, type Diagnostic, type TopologyConfig } from '../core/index.js';
import { decodeDescriptorBytes } from './decode-text.js';
import { formatDiagnostic } from './diagnostics.js';
import { parseDescriptor } from './parse-descriptor.js';

const log = childLogger('descriptor');

/** Reads a file's bytes; throws FileError (HAD_ERR_FILE_IO) naming the file. */
export async function readFileBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new FileError(`${file}: cannot read: ${why}`, { cause: err });
  }
}

/**
 * Reads a UTF-8 text file (a leading BOM is kept in the text, so that a rewrite keeps it). Throws
 * FileError (HAD_ERR_FILE_IO) naming the file, or DescriptorError (HAD_ERR_DESCRIPTOR_INVALID) when
 * the file is not UTF-8 (see decodeDescriptorBytes).
 */
export async function readTextFile(file: string): Promise<string> {
  return decodeDescriptorBytes(await readFileBytes(file), file);
}

/** The DescriptorError for a file whose diagnostics contain errors: the message names the first one. */
export function descriptorErrorOf(file: string, diagnostics: readonly Diagnostic[]): DescriptorError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  const message = first ? `${formatDiagnostic(first)}${more}` : `${file}: invalid descriptor`;
  return new DescriptorError(message, diagnostics);
}

/**
 * Loads and validates one descriptor or topology file. Warnings and notes are logged; throws
 * DescriptorError (HAD_ERR_DESCRIPTOR_INVALID, with every diagnostic) or FileError (HAD_ERR_FILE_IO).
 */
export async function loadDescriptorFile(file: string): Promise<TopologyConfig> {
  const text = await readTextFile(file);
  const result = parseDescriptor(text, file);
  for (const d of result.diagnostics) {
    if (d.severity === 'warning') log.warn('descriptor warning', { file: d.file, line: d.line, col: d.col, problem: d.message });
  }
  for (const note of result.notes) log.info('descriptor note', { file, note });
  if (!result.config) throw descriptorErrorOf(file, result.diagnostics);
  return result.config;
}

/** The `*.xml` regular files of `dir`, sorted; a symlink counts when it leads to a regular file (as for validate). */
async function xmlFilesOf(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.name.endsWith('.xml'));
  const names: string[] = [];
  for (const e of entries) {
    const isFile = e.isSymbolicLink() ? await stat(join(dir, e.name)).then((s) => s.isFile(), () => false) : e.isFile();
    if (isFile) names.push(e.name);
  }
  return names.sort();
}

/** What {@link loadDescriptorDir} found: the good topologies and, per bad file, its error. */
export interface DirLoadResult {
  readonly topologies: TopologyConfig[];
  readonly failures: { readonly file: string; readonly error: HaError }[];
}

/**
 * Loads every `*.xml` file of `dir` (sorted, not recursive). A bad file never stops the others; it
 * is listed in `failures`. Throws FileError only when the folder itself cannot be read.
 */
export async function loadDescriptorDir(dir: string): Promise<DirLoadResult> {
  let names: string[];
  try {
    names = await xmlFilesOf(dir);
  } catch (err) {
    throw new FileError(`${dir}: cannot read the descriptor folder: ${(err as Error).message}`, { cause: err });
  }
  const result: DirLoadResult = { topologies: [], failures: [] };
  for (const name of names) {
    const file = join(dir, name);
    try {
      result.topologies.push(await loadDescriptorFile(file));
    } catch (err) {
      const error = err instanceof HaError ? err : new FileError(`${file}: ${(err as Error).message}`, { cause: err });
      result.failures.push({ file, error });
    }
  }
  return result;
}
