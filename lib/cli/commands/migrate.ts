/**
 * `npm run migrate -- [--dry-run] [--backup] [--to-descriptor] PATH...` (scripts/migrate-descriptors):
 * upgrades descriptors and topologies in place, one summary line per file; exit 1 if any failed.
 */
import { stat } from 'node:fs/promises';
import { decodeDescriptorBytes, migrateDescriptor, readFileBytes, unifiedDiff } from '../../descriptor/index.js';
import { DescriptorError, HaError, UsageError, writeFileAtomic } from '../../core/index.js';
import { runReportingErrors } from '../index.js';
import { parseCommandArgs } from '../args.js';
import { expandXmlPaths } from './descriptor-validate.js';

const HELP = `usage: npm run migrate -- [--dry-run] [--backup] [--to-descriptor] PATH...

Upgrades HA descriptors and Knox topologies in place to the current schema: drops the keys Knox
removed (maxRetryAttempts, retrySleep, failoverLimit) from attributes, HaProvider values and
service-level <param>s, fixes misspellings (enableStickySessions, attribute case slips) and, with
--to-descriptor, replaces each topology by the equivalent <ha> descriptor. A PATH may be a folder
(all *.xml in it). Idempotent; writes are atomic (symlinks, mode and owner are kept). Files must be
UTF-8; a value that cannot be edited safely is an error for its file.

  --dry-run         print a unified diff per file and write nothing
  --backup          keep a byte copy of the previous content as FILE.bak (only for files that change)
  --to-descriptor   convert Knox topologies to HA descriptors

Prints one line per file on stdout (what changed, "up to date" or the error). Exit status: 0 ok;
1 some file could not be migrated (the others are; one summary line on stderr); 2 bad usage.
`;

/** What the script calls itself in messages (scripts/migrate-descriptors). */
const PROGRAM = 'migrate-descriptors';

type Options = { readonly dryRun: boolean; readonly backup: boolean; readonly toDescriptor: boolean };

/** Migrates one file; resolves to its summary line and whether it failed. */
async function migrateFile(file: string, options: Options): Promise<{ line: string; failed: boolean }> {
  let bytes: Uint8Array;
  let before: string;
  try {
    bytes = await readFileBytes(file);
    before = decodeDescriptorBytes(bytes, file);
  } catch (err) {
    const d = err instanceof DescriptorError ? err.diagnostics[0] : undefined;
    const why = d ? `${d.line}:${d.col}: ${d.message}` : (err as Error).message.replace(`${file}: `, '');
    return { line: `${file}: error: ${why}`, failed: true };
  }
  const outcome = migrateDescriptor(before, file, { toDescriptor: options.toDescriptor });
  if (outcome.kind === 'error') return { line: `${file}: error: ${outcome.message}`, failed: true };
  if (outcome.changes.length === 0 || outcome.text === before) return { line: `${file}: up to date`, failed: false };
  const summary = `${outcome.changes.length} change${outcome.changes.length === 1 ? '' : 's'} (${outcome.changes.join(', ')})`;
  if (options.dryRun) {
    process.stdout.write(unifiedDiff(before, outcome.text, file, file));
    return { line: `${file}: ${summary} [dry run: not written]`, failed: false };
  }
  try {
    // The backup is a byte copy of the original (decoding and re-encoding could change it), as private as it.
    if (options.backup) await writeFileAtomic(`${file}.bak`, bytes, { mode: (await stat(file)).mode & 0o777 });
    await writeFileAtomic(file, outcome.text);
  } catch (err) {
    return { line: `${file}: error: ${err instanceof HaError ? err.message : String(err)}`, failed: true };
  }
  return { line: `${file}: ${summary}`, failed: false };
}

/** Runs the migration with `argv` (without node and script); resolves to the exit status. */
export async function runMigrate(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  return runReportingErrors(PROGRAM, async () => {
    const { values, positionals } = parseCommandArgs('migrate', argv, {
      'dry-run': { type: 'boolean' }, backup: { type: 'boolean' }, 'to-descriptor': { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('expected at least one PATH (see --help)');
    const options = { dryRun: values['dry-run'] === true, backup: values.backup === true, toDescriptor: values['to-descriptor'] === true };
    const files = await expandXmlPaths(positionals);
    let failed = 0;
    for (const file of files) {
      const result = await migrateFile(file, options);
      process.stdout.write(result.line + '\n');
      if (result.failed) failed++;
    }
    if (failed === 0) return 0;
    process.stderr.write(`${PROGRAM}: ${failed} of ${files.length} file${files.length === 1 ? '' : 's'} could not be migrated (see the error lines on stdout)\n`);
    return 1;
  });
}
