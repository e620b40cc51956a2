/** `hadispatch descriptor set FILE SERVICE key=value... [--dry-run]`: format-preserving, atomic edits. */
import { DescriptorError, UsageError, writeFileAtomic } from '../../core/index.js';
import { editServiceAttributes, readTextFile, unifiedDiff, type AttributeEdit } from '../../descriptor/index.js';
import { parseCommandArgs } from '../args.js';
import { diagnosticsError, printWarnings } from './descriptor-report.js';

/** `hadispatch descriptor set --help`. */
export const SET_HELP = `usage: hadispatch descriptor set FILE SERVICE key=value... [--dry-run]

Edits attributes of one <service> of an HA descriptor in place. Only the edited attribute text
changes: comments, attribute order, quotes and layout stay as they were. key= (empty value) removes
an attribute; a SERVICE that does not exist is added. Unknown keys, bad values and any result that
would not validate are refused. The file is written atomically (temp file + rename); a symlink
stays a link (its target is replaced), mode and owner are kept, and added lines use the file's line
break. A file that is not UTF-8 is refused.

  --dry-run   print a unified diff and write nothing

Warnings of the result go to stderr. A refused edit writes nothing: the errors behind it go to
stdout as file:line:col: error: lines, and one summary line to stderr.
Exit status: 0 written (or nothing to change), 1 refused or unreadable, 2 bad usage.
`;

/** Splits `key=value` arguments; a missing `=` is a usage error. */
export function parseAssignments(args: readonly string[]): AttributeEdit[] {
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected key=value, got "${arg}"`);
    return { key: arg.slice(0, eq).trim(), value: arg.slice(eq + 1) };
  });
}

/** Runs `set`: validates keys, values and the whole result, then writes atomically (or prints a diff). */
export async function runSet(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('descriptor set', argv, { 'dry-run': { type: 'boolean' } });
  const [file, service, ...assignments] = positionals;
  if (file === undefined || service === undefined || assignments.length === 0) {
    throw new UsageError('expected FILE SERVICE key=value...');
  }
  const edits = parseAssignments(assignments);
  const before = await readTextFile(file);
  const outcome = editServiceAttributes(before, file, service, edits);
  if (outcome.kind === 'refused') {
    throw outcome.diagnostics.length > 0 ? diagnosticsError(outcome.message, outcome.diagnostics) : new DescriptorError(outcome.message, []);
  }
  printWarnings(outcome.diagnostics);
  if (values['dry-run']) {
    process.stdout.write(unifiedDiff(before, outcome.text, file, file));
    return 0;
  }
  if (outcome.text !== before) await writeFileAtomic(file, outcome.text);
  return 0;
}
