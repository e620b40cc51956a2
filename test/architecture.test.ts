/**
 * Keeps the layering of STYLE.md §1-2 true: folders import each other only through index.ts,
 * dependencies point the allowed way, and each external library has one home.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const LIB = resolve('lib');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

interface Import { readonly file: string; readonly spec: string; readonly typeOnly: boolean }

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ file, spec: (m[3] ?? m[4])!, typeOnly: m[2] !== undefined });
  }
  return out;
}

/** Top folder of a lib file ('core', 'gateway', …), or '' for lib/index.ts. */
function folderOf(file: string): string {
  const rel = relative(LIB, file).split('/');
  return rel.length > 1 ? rel[0]! : '';
}

const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  descriptor: ['core'],
  discovery: ['core', 'descriptor'],
  balancing: ['core', 'descriptor'],
  http1: ['core'],
  dispatch: ['core', 'balancing', 'descriptor', 'http1'],
  gateway: ['core', 'descriptor', 'discovery', 'balancing', 'dispatch', 'http1'],
  admin: ['core', 'gateway', 'descriptor', 'discovery', 'balancing', 'dispatch', 'http1'],
  cli: ['core', 'descriptor', 'discovery', 'balancing', 'dispatch', 'gateway', 'admin', 'http1'],
  '': ['core', 'descriptor', 'discovery', 'balancing', 'dispatch', 'gateway', 'admin', 'http1'],
};

const LIBRARY_HOMES: Record<string, (rel: string) => boolean> = {
  winston: (rel) => rel === 'core/log.ts',
  'node-zookeeper-client': (rel) => /^discovery\/zookeeper[^/]*\.ts$|^discovery\/zk[^/]*\.ts$/.test(rel),
  undici: (rel) => rel.startsWith('dispatch/'),
  'prom-client': (rel) => rel === 'core/metrics.ts' || rel.startsWith('admin/') || rel.startsWith('gateway/'),
};

describe('architecture (STYLE.md layering)', () => {
  const files = sourceFiles(LIB);
  const imports = files.flatMap(importsOf);

  it('imports other lib folders only through their index.ts, in the allowed direction', () => {
    const problems: string[] = [];
    for (const imp of imports) {
      if (!imp.spec.startsWith('.')) continue;
      const target = resolve(dirname(imp.file), imp.spec).replace(/\.js$/, '.ts');
      const from = folderOf(imp.file);
      const to = folderOf(target);
      if (from === to) continue;
      const rel = relative(LIB, imp.file);
      if (!relative(LIB, target).endsWith('/index.ts') && to !== '') problems.push(`${rel}: imports ${imp.spec} (not an index.ts)`);
      if (to === 'cli') problems.push(`${rel}: imports cli`);
      else if (!(ALLOWED[from] ?? []).includes(to)) problems.push(`${rel}: ${from} may not import ${to}`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('gives each external library one home', () => {
    const problems: string[] = [];
    for (const imp of imports) {
      const home = LIBRARY_HOMES[imp.spec];
      const rel = relative(LIB, imp.file);
      if (home && !home(rel)) problems.push(`${rel}: imports ${imp.spec}`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('keeps balancing pure (no I/O libraries)', () => {
    const banned = ['undici', 'node-zookeeper-client', 'node:http', 'node:https', 'node:net', 'node:fs', 'node:fs/promises', 'winston'];
    const bad = imports.filter((i) => folderOf(i.file) === 'balancing' && banned.includes(i.spec)).map((i) => `${relative(LIB, i.file)}: ${i.spec}`);
    expect(bad).to.deep.equal([]);
  });
});
