/** `hadispatch descriptor set FILE SERVICE key=value... [--dry-run]`: format-preserving, atomic edits. */
import { DescriptorError, UsageError, writeFileAtomic } from '../../core/index.js';
import { editServiceAttributes, formatDiagnostic, readTextFile, unifiedDiff, type AttributeEdit } from '../../descriptor/index.js';
import { parseCommandArgs } from '../args.js';

/** Splits `key=value` arguments; a missing `=` is a usage error. */
export function parseAssignments(args: readonly string[]): AttributeEdit[] {
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`descriptor set: expected key=value, got "${arg}"`);
    return { key: arg.slice(0, eq).trim(), value: arg.slice(eq + 1) };
  });
}

/** Runs `set`: validates keys, values and the whole result, then writes atomically (or prints a diff). */
export async function runSet(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('descriptor set', argv, { 'dry-run': { type: 'boolean' } });
  const [file, service, ...assignments] = positionals;
  if (file === undefined || service === undefined || assignments.length === 0) {
    throw new UsageError('descriptor set: expected FILE SERVICE key=value...');
  }
  const edits = parseAssignments(assignments);
  const before = await readTextFile(file);
  const outcome = editServiceAttributes(before, file, service, edits);
  if (outcome.kind === 'refused') {
    for (const d of outcome.diagnostics.filter((x) => x.severity === 'error')) process.stderr.write(formatDiagnostic(d) + '\n');
    throw new DescriptorError(outcome.message, outcome.diagnostics);
  }
  for (const d of outcome.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
  if (values['dry-run']) {
    process.stdout.write(unifiedDiff(before, outcome.text, file, file));
    return 0;
  }
  if (outcome.text !== before) await writeFileAtomic(file, outcome.text);
  return 0;
}
