/** `hadispatch descriptor validate FILE|DIR...`: diagnostics on stdout, a summary on stderr. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DescriptorError, HaError, UsageError } from '../../core/index.js';
import { formatDiagnostic, parseDescriptor, readTextFile } from '../../descriptor/index.js';
import { parseCommandArgs } from '../args.js';
import { plural } from './descriptor-report.js';

/** `hadispatch descriptor validate --help`. */
export const VALIDATE_HELP = `usage: hadispatch descriptor validate FILE|DIR...

Checks HA descriptors (<ha>) and Knox topologies (<topology>); a DIR means its *.xml files (not
recursive). Prints one line per problem on stdout, file:line:col: error|warning: message, and a
summary (files, errors, warnings) on stderr.

Exit status: 0 no errors (warnings alone are fine), 1 any error or unreadable file, 2 bad usage.
`;

/** Expands directories to their `*.xml` files (sorted, not recursive); files are kept as given. */
export async function expandXmlPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const isDir = await stat(p).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      out.push(p);
      continue;
    }
    const names = (await readdir(p)).filter((n) => n.endsWith('.xml')).sort();
    out.push(...names.map((n) => join(p, n)));
  }
  return out;
}

/** Runs `validate`; resolves to 1 when any file has an error or cannot be read. */
export async function runValidate(argv: readonly string[]): Promise<number> {
  const { positionals } = parseCommandArgs('descriptor validate', argv, {});
  if (positionals.length === 0) throw new UsageError('expected at least one FILE or DIR');
  const files = await expandXmlPaths(positionals);
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readTextFile(file);
    } catch (err) {
      // A file that is not UTF-8 carries a diagnostic at its first bad byte.
      const lines = err instanceof DescriptorError && err.diagnostics.length > 0
        ? err.diagnostics.map(formatDiagnostic)
        : [`${file}:1:1: error: ${err instanceof HaError ? err.message.replace(`${file}: `, '') : String(err)}`];
      process.stdout.write(lines.map((l) => l + '\n').join(''));
      errors++;
      continue;
    }
    for (const d of parseDescriptor(text, file).diagnostics) {
      process.stdout.write(formatDiagnostic(d) + '\n');
      if (d.severity === 'error') errors++;
      else warnings++;
    }
  }
  process.stderr.write(`${plural(files.length, 'file')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  return errors > 0 ? 1 : 0;
}
