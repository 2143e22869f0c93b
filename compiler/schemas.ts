// Validates emitted documents against the JSON schemas ansible-lint ships (read from the
// installed packages, never copied). They declare draft-07 but use $defs, markdownDescription
// and prefixItems, so Ajv runs with strict mode off and formats unchecked. Compiling them takes
// a few hundred milliseconds, so the compiled validators are cached in .build/ajv, keyed by the
// schemas' content, Ajv's version and compile-schemas.cjs (Ajv's options).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ValidateFunction } from 'ajv';
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

/** compile-schemas.cjs: plain JavaScript, run by a worker thread or called here. */
const COMPILER = path.join(PROJECT_ROOT, 'compiler', 'compile-schemas.cjs');
interface CompileJob {
  files: [string, string][];
  cacheFile: string;
  kinds: readonly string[];
}

/** The compiled validators' cache file, keyed by the schemas' content, Ajv's version and its options. */
function cacheFileFor(files: Map<string, string>): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify((require('ajv/package.json') as { version: string }).version));
  hash.update(fs.readFileSync(COMPILER));
  for (const [id, file] of files) hash.update(id).update(fs.readFileSync(file));
  return path.join(PROJECT_ROOT, '.build', 'ajv', `${hash.digest('hex').slice(0, 16)}.cjs`);
}

let located: { files: Map<string, string>; cacheFile: string } | undefined;
/** The schema files and their cache file, read and hashed once per process (a build asks twice). */
function locate(): { files: Map<string, string>; cacheFile: string } {
  if (!located) {
    const files = schemaFiles();
    located = { files, cacheFile: cacheFileFor(files) };
  }
  return located;
}

/**
 * Starts compiling the validators in a worker thread when they are not cached, so the half second
 * Ajv takes runs on the other core while TypeScript checks the sources. Await it before `new Schemas()`.
 */
export function prepareSchemas(): Promise<void> {
  const { files, cacheFile } = locate();
  if (fs.existsSync(cacheFile)) return Promise.resolve();
  const job: CompileJob = { files: [...files], cacheFile, kinds: KINDS };
  const worker = new Worker(COMPILER, { workerData: { compileSchemas: job } });
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
    const { files, cacheFile } = locate();
    if (!fs.existsSync(cacheFile)) {
      const { compileSchemas } = require(COMPILER) as { compileSchemas: (job: CompileJob) => void };
      compileSchemas({ files: [...files], cacheFile, kinds: KINDS });
    }
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
