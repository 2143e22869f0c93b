// The up-to-date check of the TypeScript stage, as `tsc --build` does it: when no source, the
// source tsconfig or the TypeScript version changed since the last clean check, the emitted
// JavaScript in .build/js is current and TypeScript need not even be loaded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface Stamp {
  hash: string;
  files: string[];
}

const stampFile = (buildDir: string) => path.join(buildDir, '.sources-stamp.json');

function walk(root: string, rel: string, out: string[]): void {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return;
  if (fs.statSync(abs).isFile()) {
    out.push(rel);
    return;
  }
  for (const e of fs.readdirSync(abs)) {
    const child = path.join(rel, e);
    if (fs.statSync(path.join(root, child)).isDirectory()) walk(root, child, out);
    else if (/\.(ts|tsx|mts|cts)$/.test(e)) out.push(child);
  }
}

/** A digest of everything the TypeScript stage reads. */
export function sourcesHash(root: string): string {
  const configText = fs.readFileSync(path.join(root, 'tsconfig.sources.json'), 'utf8');
  const include = (JSON.parse(configText) as { include?: string[] }).include ?? [];
  const files: string[] = [];
  for (const entry of include) walk(root, entry, files);
  const hash = crypto.createHash('sha256').update(configText);
  // package.json's "type" decides whether the sources emit as ES modules or CommonJS.
  const pkg = path.join(root, 'package.json');
  hash.update(fs.existsSync(pkg) ? fs.readFileSync(pkg) : '(no package.json)');
  const require = createRequire(import.meta.url);
  hash.update(fs.readFileSync(require.resolve('typescript/package.json')));
  for (const f of files.sort())
    hash
      .update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(root, f)))
      .update('\0');
  return hash.digest('hex');
}

/** The source list of the last clean check, if nothing changed since and its output is there. */
export function upToDateFiles(buildDir: string, hash: string): string[] | undefined {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile(buildDir), 'utf8')) as Stamp;
    if (stamp.hash !== hash) return undefined;
    const emitted = stamp.files.every((f) => fs.existsSync(path.join(buildDir, f.replace(/\.ts$/, '.js'))));
    return emitted ? stamp.files : undefined;
  } catch {
    return undefined;
  }
}

export function writeStamp(buildDir: string, hash: string, files: string[]): void {
  fs.writeFileSync(stampFile(buildDir), JSON.stringify({ hash, files } satisfies Stamp));
}

export function clearStamp(buildDir: string): void {
  fs.rmSync(stampFile(buildDir), { force: true });
}
