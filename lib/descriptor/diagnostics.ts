/** Collecting, ordering and printing descriptor diagnostics (`file:line:col: severity: message`). */
import type { Diagnostic } from '../core/index.js';
import { createLineIndex } from './text-position.js';

/** Where a problem is: a source offset, or a line/column reported by the XML validator. */
export type Position = number | { readonly line: number; readonly col: number };

/** Collects the diagnostics of one file. */
export interface DiagnosticSink {
  error(at: Position, message: string): void;
  warning(at: Position, message: string): void;
  hasErrors(): boolean;
  /** 1-based line of an offset (for messages such as "first defined at line 3"). */
  lineOf(offset: number): number;
  /** Every diagnostic so far, ordered by position (stable for equal positions). */
  list(): readonly Diagnostic[];
}

/** A sink for `file` whose offsets refer to `text`. */
export function createDiagnosticSink(file: string, text: string): DiagnosticSink {
  const index = createLineIndex(text);
  const items: Diagnostic[] = [];
  const add = (severity: Diagnostic['severity'], at: Position, message: string): void => {
    const { line, col } = typeof at === 'number' ? index.position(at) : at;
    items.push(Object.freeze({ file, line, col, severity, message }));
  };
  return {
    error: (at, message) => add('error', at, message),
    warning: (at, message) => add('warning', at, message),
    hasErrors: () => items.some((d) => d.severity === 'error'),
    lineOf: (offset) => index.position(offset).line,
    list: () => Object.freeze([...items].sort((a, b) => a.line - b.line || a.col - b.col)),
  };
}

/** `file:line:col: error|warning: message`, the format compilers and editors understand. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}

/** Levenshtein distance, case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * The known name closest to `word` (edit distance, ignoring case), or undefined when nothing is
 * close enough to be a plausible slip (at most 3 edits, and fewer than half the word).
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.min(3, Math.floor(word.length / 2)) ? best : undefined;
}

/** `; did you mean "x"?` or an empty string. */
export function didYouMeanSuffix(word: string, known: readonly string[]): string {
  const guess = didYouMean(word, known);
  return guess === undefined ? '' : `; did you mean "${guess}"?`;
}
