/**
 * Backends for the benchmarks, pinned to the load CPU: nginx answering `hello\n` when installed (as
 * in the reference setup; it costs the shared CPU less than node), else a node:http process.
 * Bodies (`/up`, `/down?bytes=N`) always use the node backend.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { helperPath } from './compile.js';
import { freePort, hasCommand, startProcess, tempDir, waitForPort, type BenchProcess } from './proc.js';
import { LOAD_CPU } from './settings.js';

/** Running backends. */
export interface Backends {
  readonly kind: 'nginx' | 'node';
  readonly ports: readonly number[];
  /** `http://127.0.0.1:PORT` per port. */
  readonly urls: readonly string[];
  readonly process: BenchProcess;
  stop(): Promise<void>;
}

/** Which backend kind small-GET scenarios use. */
export function smallGetBackendKind(): 'nginx' | 'node' {
  return process.env['BENCH_BACKEND'] !== 'node' && hasCommand('nginx') ? 'nginx' : 'node';
}

/** Starts `count` backend listeners (one process). */
export async function startBackends(count: number, kind: 'nginx' | 'node' = 'node'): Promise<Backends> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  const proc = kind === 'nginx' ? startNginxBackend(ports) : startProcess('backend', process.execPath, [helperPath('backend-server'), JSON.stringify({ ports })], { cpu: LOAD_CPU });
  try {
    for (const p of ports) await waitForPort(p, 10_000, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { kind, ports, urls: ports.map((p) => `http://127.0.0.1:${p}`), process: proc, stop: () => proc.stop() };
}

/** nginx's directives for a single foreground process with private temp paths. */
export function nginxPreamble(dir: string): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} error;
events { worker_connections 8192; multi_accept on; }
`;
}

/** Temp paths nginx would otherwise create under /var/lib/nginx. */
export function nginxHttpPaths(dir: string): string {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(dir, t)};`).join('\n');
}

function startNginxBackend(ports: readonly number[]): BenchProcess {
  const dir = tempDir('nginx-backend');
  const servers = ports.map((p) => `  server { listen 127.0.0.1:${p}; location / { return 200 "hello\\n"; } }`).join('\n');
  const conf = `${nginxPreamble(dir)}
http {
  access_log off;
${nginxHttpPaths(dir)}
  default_type text/plain;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
${servers}
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  return startProcess('nginx-backend', 'nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { cpu: LOAD_CPU });
}
