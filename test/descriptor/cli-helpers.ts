/** Helpers for descriptor CLI tests: in-process runs with captured output, child-process runs, temp folders. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Loaded with import() so that the CLI and the command modules it imports dynamically share one copy
// of lib/core (mocha may load test files through require, which would give a second copy and break
// `instanceof HaError`).
const cli = (): Promise<typeof import('../../lib/cli/index.js')> => import('../../lib/cli/index.js');
const migrateModule = (): Promise<typeof import('../../lib/cli/commands/migrate.js')> => import('../../lib/cli/commands/migrate.js');

/** What a run printed and its exit status. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function capture(fn: () => Promise<number>): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { err.push(String(chunk)); return true; }) as typeof process.stderr.write;
  try {
    const code = await fn();
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

/** Runs `hadispatch ARGS` in this process. */
export function hadispatch(...args: string[]): Promise<RunResult> {
  return capture(async () => (await cli()).main(args));
}

/** Runs the migration (`npm run migrate -- ARGS`) in this process. */
export function migrate(...args: string[]): Promise<RunResult> {
  return capture(async () => (await migrateModule()).runMigrate(args));
}

/** Runs the CLI from source in a child process, optionally under a shell prefix such as `ulimit -f 64;`. */
export function spawnCli(which: 'hadispatch' | 'migrate', args: readonly string[], shellPrefix = ''): RunResult {
  const quoted = [process.execPath, '--import', 'tsx', join(ROOT, 'test/descriptor/run-cli.ts'), which, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`);
  const r = spawnSync('bash', ['-c', `${shellPrefix} exec ${quoted.join(' ')}`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HAD_TEST: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temp folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'had-desc-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
