/** The markdown table of scenario results. */
import type { ScenarioResult } from './types.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function errorsText(errors: Readonly<Record<string, number>>): string {
  const parts = Object.entries(errors).filter(([, n]) => n > 0).map(([k, n]) => `${k}: ${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** One row per scenario: verdict, requests sent, errors by kind, gone-backend hits, recovery, notes. */
export function markdownTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | result | requests sent | errors by kind | reached a gone backend | time to recover | notes |',
    '|---|---|---:|---|---:|---:|---|',
  ];
  for (const r of results) {
    const verdict = r.passed ? 'pass' : `**FAIL**: ${r.failures.join('; ')}`;
    const recover = r.recoverMs === undefined ? 'n/a' : `${r.recoverMs} ms`;
    lines.push(`| ${r.name} | ${cell(verdict)} | ${r.sent} | ${cell(errorsText(r.errors))} | ${r.goneHits} | ${recover} | ${cell(r.notes.join('; '))} |`);
  }
  return lines.join('\n') + '\n';
}
