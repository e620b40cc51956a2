/**
 * The one error catalogue of hadispatch. Every error we raise is an {@link HaError} with a stable
 * `code` (match on it, never on message text) and, for request-time errors, the HTTP `status` the
 * client receives. README.md lists every code; `errors.test.ts` keeps the two in step.
 */

/** Knox's exact client text for a noFallback failure (KNOX-2619); clients and scripts match on it. */
export const KNOX_NO_FALLBACK_MESSAGE = 'Service connection error, HA failover disabled';

/** Stable error codes, `HAD_ERR_<AREA>_<WHAT>`. */
export const ERROR_CODES = {
  HAD_ERR_DESCRIPTOR_INVALID: { status: undefined, text: 'the descriptor is invalid' },
  HAD_ERR_CONFIG_INVALID: { status: undefined, text: 'the configuration is invalid' },
  HAD_ERR_CLI_USAGE: { status: undefined, text: 'bad command-line usage' },
  HAD_ERR_FILE_IO: { status: undefined, text: 'a file could not be read or written' },
  HAD_ERR_ZK_UNAVAILABLE: { status: undefined, text: 'ZooKeeper is unavailable' },
  HAD_ERR_ZK_TIMEOUT: { status: undefined, text: 'a ZooKeeper call timed out' },
  HAD_ERR_ZK_DATA_INVALID: { status: undefined, text: 'znode data could not be parsed' },
  HAD_ERR_NOT_FOUND: { status: 404, text: 'no such topology or service' },
  HAD_ERR_ADMIN_NOT_FOUND: { status: 404, text: 'no such admin endpoint' },
  HAD_ERR_ADMIN_UNAVAILABLE: { status: 503, text: 'no worker answered the admin request; try again' },
  HAD_ERR_NO_BACKEND: { status: 503, text: 'no backend is available for this service' },
  HAD_ERR_UPSTREAM_CONNECT: { status: 502, text: 'Service connection error' },
  HAD_ERR_UPSTREAM_TIMEOUT: { status: 504, text: 'the backend did not answer in time' },
  HAD_ERR_UPSTREAM_ABORTED: { status: 502, text: 'the backend closed the connection' },
  HAD_ERR_FAILOVER_DISABLED: { status: 502, text: KNOX_NO_FALLBACK_MESSAGE },
  HAD_ERR_NON_IDEMPOTENT: { status: 502, text: 'Service connection error, request not retried (non-idempotent)' },
  HAD_ERR_REQUEST_INVALID: { status: 400, text: 'the request is malformed' },
  HAD_ERR_GATEWAY_INTERNAL: { status: 500, text: 'internal gateway error' },
} as const satisfies Record<string, { status: number | undefined; text: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class of every hadispatch error. `message` is for operators; {@link publicMessage} for clients. */
export class HaError extends Error {
  readonly code: ErrorCode;
  readonly status: number | undefined;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HaError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
  }
  /** The text a client may see: fixed per code, never a backend URL or stack. */
  get publicMessage(): string {
    return ERROR_CODES[this.code].text;
  }
}

/** One problem found in a descriptor, with its position (1-based) when known. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** A descriptor that cannot be used; `diagnostics` lists every problem found (errors and warnings). */
export class DescriptorError extends HaError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string, diagnostics: readonly Diagnostic[], options?: ErrorOptions) {
    super('HAD_ERR_DESCRIPTOR_INVALID', message, options);
    this.name = 'DescriptorError';
    this.diagnostics = diagnostics;
  }
}

/** Bad configuration outside descriptors: flags, key files, state dir. */
export class ConfigError extends HaError {
  constructor(message: string, options?: ErrorOptions) {
    super('HAD_ERR_CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
  }
}

/** Bad command-line usage (exit status 2). */
export class UsageError extends HaError {
  constructor(message: string, options?: ErrorOptions) {
    super('HAD_ERR_CLI_USAGE', message, options);
    this.name = 'UsageError';
  }
}

/** A file could not be read or written (user error, exit status 1). */
export class FileError extends HaError {
  constructor(message: string, options?: ErrorOptions) {
    super('HAD_ERR_FILE_IO', message, options);
    this.name = 'FileError';
  }
}

/** ZooKeeper trouble: unreachable, timed out, or bad znode data. */
export class ZkError extends HaError {
  constructor(code: 'HAD_ERR_ZK_UNAVAILABLE' | 'HAD_ERR_ZK_TIMEOUT' | 'HAD_ERR_ZK_DATA_INVALID', message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'ZkError';
  }
}

/** A request-time failure that becomes an HTTP error response. */
export class DispatchError extends HaError {
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'DispatchError';
  }
}

/** True when `err` is an {@link HaError} with the given code. */
export function hasCode(err: unknown, code: ErrorCode): err is HaError {
  return err instanceof HaError && err.code === code;
}
