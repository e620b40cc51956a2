/**
 * The only winston import of the project. JSON lines with a timestamp when stderr is not a TTY,
 * a readable format on a TTY. Level from `setLogLevel()`, else `LOG_LEVEL`, else `info`; tests run
 * silent unless `LOG_LEVEL` is set. Never log cookie values, Authorization headers or query strings.
 */
import winston from 'winston';
import type Transport from 'winston-transport';

/** The logger type every module uses. */
export type Logger = winston.Logger;

const isTest = process.env['HAD_TEST'] === '1' || process.env['NODE_ENV'] === 'test';

function defaultLevel(): string {
  return process.env['LOG_LEVEL'] ?? 'info';
}

const root: winston.Logger = winston.createLogger({
  level: defaultLevel(),
  silent: isTest && process.env['LOG_LEVEL'] === undefined,
  format: process.stderr.isTTY
    ? winston.format.combine(winston.format.timestamp({ format: 'HH:mm:ss.SSS' }), winston.format.colorize(), winston.format.simple())
    : winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: false }), winston.format.json()),
  transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
});

/** Cached `root.isDebugEnabled()`: hot paths ask per request, winston walks levels and transports. */
let debugEnabled = root.isDebugEnabled();

function levelsChanged(): void {
  debugEnabled = root.isDebugEnabled();
}

/**
 * Whether a `debug` line would be written anywhere (the root level or a transport's own level).
 * The answer is cached and refreshed by every function here that changes levels or transports.
 */
export function isDebugLogging(): boolean {
  return debugEnabled;
}

/** A child logger tagged with `component`. */
export function childLogger(component: string): Logger {
  return root.child({ component });
}

/** Changes the level of every logger (e.g. from `--log-level`). */
export function setLogLevel(level: string): void {
  root.level = level;
  root.silent = false;
  levelsChanged();
}

/** Silences or un-silences all logging. */
export function setLogSilent(silent: boolean): void {
  root.silent = silent;
  levelsChanged();
}

/** Attaches an extra transport (tests that assert on logging use an in-memory one). */
export function addLogTransport(transport: Transport): () => void {
  root.add(transport);
  root.silent = false;
  levelsChanged();
  return () => { root.remove(transport); levelsChanged(); };
}

/** Log levels accepted by `--log-level`. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** Turns an error into log fields without stack noise for known errors. */
export function errFields(err: unknown): { err: string; code?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? { err: err.message, code } : { err: err.message };
  }
  return { err: String(err) };
}
