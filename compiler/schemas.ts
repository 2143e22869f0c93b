// Validates emitted documents against the JSON schemas ansible-lint ships (read from the
// installed packages, never copied). They declare draft-07 but use $defs, markdownDescription
// and prefixItems, so Ajv runs with strict mode off and formats unchecked. Compiling them takes
// a few hundred milliseconds, so the compiled validators are cached in .build/ajv, keyed by the
// schemas' content and Ajv's version.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Ajv as AjvType, ValidateFunction } from 'ajv';
import { ansibleLintSchemasDir, moleculeSchemaFile, PROJECT_ROOT } from '../lib/python-env.js';

export type SchemaKind = 'playbook' | 'tasks' | 'meta' | 'role-arg-spec' | 'inventory' | 'vars' | 'molecule';
const KINDS: readonly SchemaKind[] = ['playbook', 'tasks', 'meta', 'role-arg-spec', 'inventory', 'vars', 'molecule'];
const require = createRequire(import.meta.url);

function schemaFiles(): Map<string, string> {
  const dir = ansibleLintSchemasDir();
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.json') || f.startsWith('__')) continue;
    // ansible-lint's molecule.json predates Molecule's `default` driver: molecule.yml is checked
    // against the schema of the installed Molecule, the tool that reads it.
    files.set(f === 'molecule.json' ? 'ansible-lint-molecule.json' : f, path.join(dir, f));
  }
  files.set('molecule.json', moleculeSchemaFile());
  return files;
}

/**
 * Compiles the schemas into one standalone CommonJS module of validators at `cacheFile`. Runs in a
 * worker thread (see `prepareSchemas`), so it is plain JavaScript that requires what it needs.
 */
function compileToFile({
  files,
  cacheFile,
  kinds,
}: {
  files: [string, string][];
  cacheFile: string;
  kinds: readonly string[];
}) {
  const fsw = require('node:fs') as typeof fs;
  const pathw = require('node:path') as typeof path;
  const { Ajv } = require('ajv') as typeof import('ajv');
  const standaloneCode = (
    require('ajv/dist/standalone') as { default: (a: AjvType, refs: Record<string, string>) => string }
  ).default;
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    validateSchema: false,
    code: { source: true },
  });
  for (const [id, file] of files) ajv.addSchema(JSON.parse(fsw.readFileSync(file, 'utf8')) as object, id);
  const code = standaloneCode(ajv, Object.fromEntries(kinds.map((k) => [k, `${k}.json`])));
  fsw.mkdirSync(pathw.dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.${String(process.pid)}.${String(Math.random()).slice(2)}`;
  fsw.writeFileSync(tmp, code);
  fsw.renameSync(tmp, cacheFile);
}

/** The compiled validators' cache file, keyed by the schemas' content and Ajv's version. */
function cacheFileFor(files: Map<string, string>): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify((require('ajv/package.json') as { version: string }).version));
  for (const [id, file] of files) hash.update(id).update(fs.readFileSync(file));
  return path.join(PROJECT_ROOT, '.build', 'ajv', `${hash.digest('hex').slice(0, 16)}.cjs`);
}

/**
 * Starts compiling the validators in a worker thread when they are not cached, so the half second
 * Ajv takes runs on the other core while TypeScript checks the sources. Await it before `new Schemas()`.
 */
export function prepareSchemas(): Promise<void> {
  const files = schemaFiles();
  const cacheFile = cacheFileFor(files);
  if (fs.existsSync(cacheFile)) return Promise.resolve();
  // `__name`: the helper tsx's transpiler may wrap named functions in; the worker has none.
  const source = `var __name = (f) => f; (${compileToFile.toString()})(require('node:worker_threads').workerData)`;
  const worker = new Worker(source, {
    eval: true,
    workerData: { files: [...files], cacheFile, kinds: KINDS },
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`compiling ansible-lint's schemas failed (worker exit ${String(code)})`));
    });
  });
}

export class Schemas {
  private readonly validators: Record<SchemaKind, ValidateFunction>;

  constructor() {
    const files = schemaFiles();
    const cacheFile = cacheFileFor(files);
    if (!fs.existsSync(cacheFile)) compileToFile({ files: [...files], cacheFile, kinds: KINDS });
    this.validators = require(cacheFile) as Record<SchemaKind, ValidateFunction>;
  }

  /** Returns error lines (instance path and message), none if the document is valid. */
  validate(kind: SchemaKind, doc: unknown): string[] {
    const v = this.validators[kind];
    if (v(doc)) return [];
    return (v.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
    );
  }
}

/** Which schema an emitted file is checked against, by its path under out/. */
export function schemaFor(relPath: string): SchemaKind | undefined {
  if (/^roles\/[^/]+\/(tasks|handlers)\/[^/]+\.yml$/.test(relPath)) return 'tasks';
  if (/^roles\/[^/]+\/meta\/main\.yml$/.test(relPath)) return 'meta';
  if (/^roles\/[^/]+\/meta\/argument_specs\.yml$/.test(relPath)) return 'role-arg-spec';
  if (/^roles\/[^/]+\/(defaults|vars)\/[^/]+\.yml$/.test(relPath)) return 'vars';
  if (/^inventory\/[^/]+\.yml$/.test(relPath)) return 'inventory';
  if (/^molecule\/[^/]+\/molecule\.yml$/.test(relPath)) return 'molecule';
  if (/^molecule\/[^/]+\/[^/]+\.yml$/.test(relPath)) return 'playbook';
  if (/^[^/]+\.yml$/.test(relPath)) return 'playbook';
  return undefined;
}
