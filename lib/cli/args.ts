/** Argument parsing shared by every command: node's parseArgs, with errors turned into UsageError. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/index.js';

/** Parsed flags and positionals of one command. */
export interface ParsedArgs<V> {
  readonly values: V;
  readonly positionals: string[];
}

/**
 * Parses `argv` strictly; unknown flags or missing values throw UsageError (exit status 2). The
 * message does not name the command: runReportingErrors prefixes it (`hadispatch descriptor set: …`)
 * once. `_command` is kept for the callers' readability.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  _command: string, argv: readonly string[], options: O,
): ParsedArgs<ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true; args: string[] }>>['values']> {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (err) {
    // parseArgs explains itself over several lines; the first one names the flag, which is enough.
    const first = ((err as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional.*$/s, '');
    throw new UsageError(first, { cause: err });
  }
}

/** Parses an integer flag in [min, max] or throws UsageError naming the flag. */
export function intFlag(flag: string, value: string | undefined, fallback: number, min = 0, max = 65535): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag}: expected an integer, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${flag}: expected ${min}..${max}, got ${n}`);
  return n;
}
