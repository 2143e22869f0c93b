// The TypeScript stage of a build. Sources unchanged since the last clean check: the JavaScript
// in .build/js is used as it is. Otherwise each source is transpiled on its own (esbuild: types
// stripped, nothing checked) while TypeScript type-checks them all in a worker, so evaluating,
// rendering and validating run beside the type check on the other core; the build writes out/
// only once the check passed, and type errors take precedence over anything later stages found.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { transform } from 'esbuild';
import { TypeScriptError } from './errors.js';
import { clearStamp, sourcesHash, upToDateFiles, writeStamp } from './source-stamp.js';
import type { TypeCheckMessage } from './typecheck-worker.js';

export interface EmittedSources {
  /** Source files, relative to the project root. */
  files: string[];
  /** Settles when the type check is done: rejects with a TypeScriptError listing the errors. */
  typeChecked: Promise<void>;
}

/** ES modules unless package.json says otherwise, as Node reads the emitted files. */
function formatOf(file: string, packageType: string | undefined): 'esm' | 'cjs' {
  if (file.endsWith('.mts')) return 'esm';
  if (file.endsWith('.cts')) return 'cjs';
  return packageType === 'module' ? 'esm' : 'cjs';
}

async function transpile(root: string, buildDir: string, files: string[]): Promise<void> {
  const pkg = path.join(root, 'package.json');
  const packageType = fs.existsSync(pkg)
    ? (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { type?: string }).type
    : undefined;
  await Promise.all(
    files
      .filter((f) => !/\.d\.[mc]?ts$/.test(f))
      .map(async (abs) => {
        const { code } = await transform(fs.readFileSync(abs, 'utf8'), {
          loader: 'ts',
          format: formatOf(abs, packageType),
          target: 'es2022',
          sourcefile: abs,
        });
        const js = path.join(buildDir, path.relative(root, abs)).replace(/\.([mc]?)ts$/, '.$1js');
        fs.mkdirSync(path.dirname(js), { recursive: true });
        fs.writeFileSync(js, code);
      }),
  );
}

// As `npm run build` gives the main thread (--max-semi-space-size=64; a worker does not take
// it): a young generation the type check's short-lived objects rarely fill. Its other flag,
// --interrupt-budget, is V8's and holds for the worker too (docs/run-times.md).
const YOUNG = { maxYoungGenerationSizeMb: 192 };

/**
 * The worker beside this module: typecheck-worker.js in the transpiled copy launch.mjs runs; where
 * the compiler runs from its TypeScript sources (tsx, as the tests run it), the .ts file, with
 * tsx's loader registered in the worker first (a worker does not inherit it).
 */
function typeCheckWorker(root: string): Worker {
  const ext = path.extname(new URL(import.meta.url).pathname);
  const script = new URL(`./typecheck-worker${ext}`, import.meta.url);
  if (ext !== '.ts') return new Worker(script, { workerData: { root }, resourceLimits: YOUNG });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(boot, { eval: true, workerData: { root }, resourceLimits: YOUNG });
}

export async function emitSources(root: string, buildDir: string): Promise<EmittedSources> {
  const hash = sourcesHash(root);
  const current = upToDateFiles(buildDir, hash);
  if (current) return { files: current, typeChecked: Promise.resolve() };
  // The JavaScript is about to change before the check has passed: no stamp may vouch for it.
  clearStamp(buildDir);
  const worker = typeCheckWorker(root);
  let gotFiles!: (files: string[]) => void;
  const listed = new Promise<string[]>((resolve) => (gotFiles = resolve));
  const checked = new Promise<string | null>((resolve, reject) => {
    worker.on('message', (m: TypeCheckMessage) => {
      if ('files' in m) gotFiles(m.files);
      else resolve(m.errors);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`the type check stopped (worker exit ${code})`));
    });
  });
  // A tsconfig the worker cannot read ends the check before any source is listed.
  const files = (await Promise.race([listed, checked.then(() => null)])) ?? [];
  const rel = files.map((f) => path.relative(root, f));
  const typeChecked = checked.then((errors) => {
    if (errors !== null) throw new TypeScriptError(errors);
    writeStamp(buildDir, hash, rel);
  });
  typeChecked.catch(() => undefined); // awaited by the build; never an unhandled rejection meanwhile
  try {
    await transpile(root, buildDir, files);
  } catch (e) {
    await typeChecked; // a syntax error: TypeScript's message names the field too
    throw e;
  }
  return { files: rel, typeChecked };
}
