/**
 * The helper servers (backends, comparison proxies, load client) run as their own `node` processes.
 * They are written in TypeScript beside this file and transpiled once per run to plain ESM under
 * node_modules/.cache/hadispatch-bench/, so they run without the tsx loader (whose memory and start-up
 * cost would otherwise be charged to the candidates) and still resolve packages from node_modules.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const LIB_DIR = new URL('./', import.meta.url);
/** The project root (scripts/bench/_lib/../../..). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OUT_DIR = new URL('../../../node_modules/.cache/hadispatch-bench/', import.meta.url);

/** Helper scripts that can be run as processes. */
export type HelperScript =
  | 'backend-server'
  | 'minimal-proxy'
  | 'bare-proxy'
  | 'stream-proxy'
  | 'fastify-proxy'
  | 'node-http-proxy'
  | 'autocannon-client';

const done = new Map<HelperScript, string>();

/** Absolute path of the runnable `.mjs` for a helper script (transpiled on first use). */
export function helperPath(name: HelperScript): string {
  const cached = done.get(name);
  if (cached) return cached;
  const src = readFileSync(new URL(`${name}.ts`, LIB_DIR), 'utf8');
  const out = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
    fileName: `${name}.ts`,
  });
  mkdirSync(OUT_DIR, { recursive: true });
  const file = new URL(`${name}.mjs`, OUT_DIR);
  writeFileSync(file, out.outputText);
  const path = fileURLToPath(file);
  done.set(name, path);
  return path;
}

