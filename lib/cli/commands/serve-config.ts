/** `hadispatch serve` flags → a validated configuration (bad usage: UsageError; missing files: FileError). */
import { readFile, stat, mkdir } from 'node:fs/promises';
import { ConfigError, FileError, LOG_LEVELS, UsageError } from '../../core/index.js';
import { DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PATH, DEFAULT_GATEWAY_PORT, type GatewayOptions } from '../../gateway/index.js';
import { parseCommandArgs, intFlag } from '../args.js';
import { readStickyKeys } from './serve-keys.js';

/** Largest `--workers`. */
export const MAX_WORKERS = 256;

const OPTIONS = {
  descriptors: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'admin-port': { type: 'string' },
  'gateway-path': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'state-dir': { type: 'string' },
  'sticky-key-file': { type: 'string' },
  'accept-knox-cookies': { type: 'boolean' },
  workers: { type: 'string' },
  'log-level': { type: 'string' },
  demo: { type: 'boolean' },
} as const;

/** The validated flags of one `serve` run. */
export interface ServeConfig {
  readonly descriptorsDir: string;
  readonly host: string;
  readonly port: number;
  readonly adminPort: number | undefined;
  readonly gatewayPath: string;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  readonly stateDir: string | undefined;
  readonly stickyKeyFile: string | undefined;
  readonly acceptKnoxCookies: boolean;
  readonly workers: number;
  readonly logLevel: string | undefined;
  readonly demo: boolean;
}

/** Parses and checks the flags (no file access). Throws UsageError naming the flag. */
export function parseServeArgs(argv: readonly string[]): ServeConfig {
  const { values: v, positionals } = parseCommandArgs('serve', argv, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) {
    throw new UsageError(v['tls-cert'] === undefined ? '--tls-key: needs --tls-cert' : '--tls-cert: needs --tls-key');
  }
  if (v['accept-knox-cookies'] && v['sticky-key-file'] === undefined) throw new UsageError('--accept-knox-cookies: needs --sticky-key-file');
  const logLevel = v['log-level'];
  if (logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new UsageError(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const gatewayPath = (v['gateway-path'] ?? DEFAULT_GATEWAY_PATH).replace(/^\/+|\/+$/g, '');
  if (gatewayPath === '' || /[/\\%?#]|^\.\.?$/.test(gatewayPath)) {
    throw new UsageError(`--gateway-path: expected one path segment such as "gateway", got "${v['gateway-path']}"`);
  }
  for (const flag of ['descriptors', 'host', 'state-dir', 'tls-cert', 'tls-key', 'sticky-key-file'] as const) {
    if (v[flag] === '') throw new UsageError(`--${flag}: must not be empty`);
  }
  return {
    descriptorsDir: v.descriptors ?? 'descriptors',
    host: v.host ?? DEFAULT_GATEWAY_HOST,
    port: intFlag('port', v.port, DEFAULT_GATEWAY_PORT, 0, 65535),
    adminPort: v['admin-port'] === undefined ? undefined : intFlag('admin-port', v['admin-port'], 0, 0, 65535),
    gatewayPath,
    tlsCert: v['tls-cert'],
    tlsKey: v['tls-key'],
    stateDir: v['state-dir'],
    stickyKeyFile: v['sticky-key-file'],
    acceptKnoxCookies: v['accept-knox-cookies'] ?? false,
    workers: intFlag('workers', v.workers, 1, 1, MAX_WORKERS),
    logLevel,
    demo: v.demo ?? false,
  };
}

/**
 * Reads the files the flags name and builds the gateway options. Throws FileError naming a file or
 * folder that is missing or unreadable, ConfigError for a bad key file or state dir.
 */
export async function resolveGatewayOptions(config: ServeConfig): Promise<GatewayOptions> {
  await requireDirectory(config.descriptorsDir, 'descriptor folder');
  if (config.stateDir !== undefined) {
    try {
      await mkdir(config.stateDir, { recursive: true });
    } catch (err) {
      throw new ConfigError(`${config.stateDir}: cannot create the state dir: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
    }
  }
  const tls = config.tlsCert !== undefined && config.tlsKey !== undefined
    ? { cert: await readPemFile(config.tlsCert, 'TLS certificate'), key: await readPemFile(config.tlsKey, 'TLS key') }
    : undefined;
  const stickyKeys = config.stickyKeyFile !== undefined ? await readStickyKeys(config.stickyKeyFile, config.acceptKnoxCookies) : undefined;
  return {
    descriptorsDir: config.descriptorsDir,
    host: config.host,
    port: config.port,
    gatewayPath: config.gatewayPath,
    ...(tls ? { tls } : {}),
    ...(config.stateDir !== undefined ? { stateDir: config.stateDir } : {}),
    ...(stickyKeys ? { stickyKeys } : {}),
  };
}

async function requireDirectory(dir: string, what: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (err) {
    throw new FileError(`${dir}: cannot read the ${what}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`, { cause: err });
  }
  if (!isDir) throw new FileError(`${dir}: the ${what} is not a directory`);
}

async function readPemFile(file: string, what: string): Promise<Buffer> {
  let pem: Buffer;
  try {
    pem = await readFile(file);
  } catch (err) {
    throw new FileError(`${file}: cannot read the ${what}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { cause: err });
  }
  if (!pem.includes('-----BEGIN')) throw new ConfigError(`${file}: the ${what} is not PEM`);
  return pem;
}
