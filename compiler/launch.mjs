// Starts the compiler from JavaScript transpiled into .build/tool, refreshing that copy only
// when a TypeScript source is newer. This spares every build the start-up of a TS loader; type
// errors in the compiler itself are `npm run typecheck`'s business.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = path.join(root, '.build', 'tool');
const SOURCE_DIRS = ['compiler', 'dsl', 'lib'];

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

const stale = SOURCE_DIRS.flatMap((d) => sources(path.join(root, d))).filter((src) => {
  const js = path.join(outRoot, path.relative(root, src)).replace(/\.ts$/, '.js');
  return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(src).mtimeMs;
});
if (stale.length) {
  const { default: ts } = await import('typescript');
  for (const src of stale) {
    const { outputText } = ts.transpileModule(fs.readFileSync(src, 'utf8'), {
      fileName: src,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    });
    const js = path.join(outRoot, path.relative(root, src)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(js), { recursive: true });
    fs.writeFileSync(js, outputText);
  }
}
// The transpiled copy is ES modules, like the sources.
fs.writeFileSync(path.join(outRoot, 'package.json'), '{ "type": "module" }\n');
await import(pathToFileURL(path.join(outRoot, 'compiler', 'cli.js')).href);
