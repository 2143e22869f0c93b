// Test helpers: a scratch copy of the project's sources, and running the real compiler on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { buildNodeFlags } from '../../lib/build-node-flags.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SOURCES = [
  'dsl',
  'roles-src',
  'playbooks',
  'molecule-src',
  'ansible.cfg',
  'inventories',
  'tsconfig.sources.json',
];

/** A temporary project with a copy of the DSL sources (and an optional previous out/). */
export function scratchProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-test-'));
  for (const s of SOURCES) fs.cpSync(path.join(ROOT, s), path.join(dir, s), { recursive: true });
  return dir;
}

export function edit(dir: string, rel: string, from: string | RegExp, to: string): void {
  const p = path.join(dir, rel);
  const text = fs.readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit: '${String(from)}' not found in ${rel}`);
  fs.writeFileSync(p, next);
}

export async function compile(root: string, out = path.join(root, 'out')) {
  // With npm run build's node flags (a third less time per build through tsx).
  const r = await execa(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    [...buildNodeFlags(), path.join(ROOT, 'compiler/cli.ts'), 'build', '--root', root, '--out', out],
    { reject: false, cwd: root },
  );
  return { code: r.exitCode, stderr: r.stderr, stdout: r.stdout };
}

/** Every file under a folder with its bytes, for byte-for-byte comparisons. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

export const venvBin = (tool: string) => path.join(ROOT, '.venv', 'bin', tool);
