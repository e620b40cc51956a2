/** `hadispatch serve`: runs the gateway (SPEC §2). */
import cluster from 'node:cluster';
import { DescriptorError, HaError, setLogLevel } from '../../core/index.js';
import { loadDescriptorDir } from '../../descriptor/index.js';
import type { Command } from './types.js';
import { parseServeArgs, resolveGatewayOptions } from './serve-config.js';
import { runSingle, runWorker } from './serve-single.js';
import { runPrimary } from './serve-workers.js';
import { reportStartupError } from './serve-supervisor.js';

const HELP = `usage: hadispatch serve [options]

Runs the gateway: /{gateway-path}/{topology}/{service path}/... goes to the service's backends.

options:
  --descriptors DIR        descriptor folder, one topology per NAME.xml (default: descriptors)
  --host H                 listen address (default: 127.0.0.1)
  --port N                 listen port, 0 for any free port (default: 8443)
  --admin-port N           start the admin listener on 127.0.0.1:N (default: off)
  --gateway-path P         first path segment (default: gateway)
  --tls-cert F --tls-key F serve HTTPS with this PEM certificate and key (sticky cookies get Secure)
  --state-dir D            keep the last known ZooKeeper backend lists here across restarts
  --sticky-key-file F      sign sticky cookies with HMAC-SHA256 (one secret per line, >= 16 bytes;
                           the first signs, all verify; blank lines and # comments ignored)
  --accept-knox-cookies    with --sticky-key-file: also honour plain Knox SHA-256 cookies
  --workers N              run N processes on the same port (default: 1); a worker that dies is
                           restarted with back-off
  --log-level L            error, warn, info or debug (default: info, or LOG_LEVEL)
  --demo                   also start the demo WHOAMI backends on 127.0.0.1:50070 and :50071

Descriptors are reloaded on SIGHUP and when files in the folder change; a broken file keeps its
previous config. SIGTERM/SIGINT finish in-flight requests (up to 30 s), then exit 0.
`;

/** The `serve` command. */
export const command: Command = {
  summary: 'run the gateway',
  help: HELP,
  async run(argv) {
    const config = parseServeArgs(argv);
    if (config.logLevel !== undefined) setLogLevel(config.logLevel);
    if (cluster.isWorker) return exitWorker(config);
    const options = await resolveGatewayOptions(config);
    if (config.workers > 1) {
      await checkDescriptors(config.descriptorsDir);
      return runPrimary(config);
    }
    return runSingle(config, options);
  },
};

/**
 * A worker hands its start-up error to the primary (which prints it once, as the reason it exits
 * or gives up restarting) and exits 1.
 */
async function exitWorker(config: ReturnType<typeof parseServeArgs>): Promise<never> {
  let code = 0;
  try {
    code = await runWorker(await resolveGatewayOptions(config));
  } catch (err) {
    await reportStartupError(err instanceof HaError ? err.message : String(err));
    code = 1;
  }
  process.exit(code);
}

/** Fails fast (once, in the primary) on a broken descriptor instead of N times in the workers. */
async function checkDescriptors(dir: string): Promise<void> {
  const { failures } = await loadDescriptorDir(dir);
  const first = failures[0];
  if (first !== undefined) throw first.error instanceof HaError ? first.error : new DescriptorError(`${first.file}: ${String(first.error)}`, []);
}
