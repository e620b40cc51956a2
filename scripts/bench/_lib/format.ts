/** Number formatting and the "Done when" checklist lines printed under the tables. */

/** A number for a table cell; `—` when not a finite number. */
export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio `a / b` with two decimals, `—` when either side is missing. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}

/**
 * One checklist line, e.g. `- hadispatch/minimal req/s = 0.97 (target ≥ 0.95) ✔`. A missing value
 * reads "not measured" and is neither a pass nor a fail. The bench never fails on a missed target.
 */
export function check(label: string, value: number, op: '≥' | '≤', target: number, digits = 2, unit = ''): string {
  if (!Number.isFinite(value)) return `- ${label}: not measured (target ${op} ${target}${unit})`;
  const ok = op === '≥' ? value >= target : value <= target;
  return `- ${label} = ${fmt(value, digits)}${unit} (target ${op} ${target}${unit}) ${ok ? '✔' : '✘'}`;
}
