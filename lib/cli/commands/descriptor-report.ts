/** How descriptor sub-commands report a file with errors: its diagnostics on stdout, one summary line on stderr. */
import { DescriptorError, type Diagnostic } from '../../core/index.js';
import { formatDiagnostic } from '../../descriptor/index.js';

/** `1 error`, `2 warnings`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Prints `diagnostics` on stdout, one `file:line:col: error|warning: message` line each (as
 * `validate` does), and returns the DescriptorError whose one-line message the CLI prints on stderr:
 * `HEADLINE (2 errors, first at line 3; listed on stdout)`; the diagnostics are not repeated in it.
 */
export function diagnosticsError(headline: string, diagnostics: readonly Diagnostic[]): DescriptorError {
  for (const d of diagnostics) process.stdout.write(formatDiagnostic(d) + '\n');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (!first) return new DescriptorError(headline, diagnostics);
  const where = errors.length === 1 ? `1 error at line ${first.line}` : `${errors.length} errors, first at line ${first.line}`;
  return new DescriptorError(`${headline} (${where}; listed on stdout)`, diagnostics);
}

/** Prints warnings of a file that loaded on stderr, so that stdout stays the command's output (text, JSON, a diff). */
export function printWarnings(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) if (d.severity === 'warning') process.stderr.write(formatDiagnostic(d) + '\n');
}
