// Reads an Ansible role folder as Ansible does (YAML 1.1): defaults, vars, every task file,
// handlers, meta, argument specs, templates and files. Bad input is refused with the file and
// line, before anything is written.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';

export class ImportError extends Error {}

export interface RoleFolder {
  name: string;
  dir: string;
  defaults: Record<string, unknown>;
  /** vars/<name>.yml by name (without .yml). */
  vars: Record<string, Record<string, unknown>>;
  /** tasks/<name>.yml by name; 'main' is the role's entry. */
  tasks: Record<string, unknown[]>;
  handlers: unknown[];
  meta: Record<string, unknown>;
  /** argument_specs.main.options, when the role has them. */
  argumentSpecs: Record<string, { description?: string | string[]; type?: string; elements?: string; choices?: unknown[] }>;
  /** Relative paths under templates/ and files/. */
  templates: string[];
  files: string[];
}

function readYaml(file: string): unknown {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { version: '1.1', prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new ImportError(`${file}:${e.linePos?.[0].line ?? '?'}:${e.linePos?.[0].col ?? '?'}: YAML syntax error: ${e.message.split('\n')[0]}`);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

const yamlFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : []);
const stem = (f: string) => f.replace(/\.ya?ml$/, '');

function mapping(value: unknown, file: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ImportError(`${file}: expected a mapping of variables`);
  return value as Record<string, unknown>;
}

function list(value: unknown, file: string): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ImportError(`${file}: expected a list of tasks`);
  return value;
}

function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();
}

export function readRole(dir: string): RoleFolder {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ImportError(`${dir}: no such folder`);
  const has = (sub: string) => fs.existsSync(path.join(dir, sub));
  if (!['tasks/main.yml', 'tasks/main.yaml', 'handlers/main.yml', 'defaults/main.yml', 'meta/main.yml'].some(has)) {
    throw new ImportError(`${dir}: not an Ansible role (no tasks/main.yml, handlers/main.yml, defaults/main.yml or meta/main.yml)`);
  }
  const read = (sub: string) => readYaml(path.join(dir, sub));
  const tasks: Record<string, unknown[]> = {};
  for (const f of yamlFiles(path.join(dir, 'tasks'))) tasks[stem(f)] = list(read(`tasks/${f}`), path.join(dir, 'tasks', f));
  const vars: Record<string, Record<string, unknown>> = {};
  for (const f of yamlFiles(path.join(dir, 'vars'))) vars[stem(f)] = mapping(read(`vars/${f}`), path.join(dir, 'vars', f));
  const defaultsFile = yamlFiles(path.join(dir, 'defaults')).find((f) => stem(f) === 'main');
  const handlersFile = yamlFiles(path.join(dir, 'handlers')).find((f) => stem(f) === 'main');
  const metaFile = yamlFiles(path.join(dir, 'meta')).find((f) => stem(f) === 'main');
  const specsFile = yamlFiles(path.join(dir, 'meta')).find((f) => stem(f) === 'argument_specs');
  const specs = specsFile ? mapping(read(`meta/${specsFile}`), specsFile) : {};
  const main = (specs.argument_specs as { main?: { options?: RoleFolder['argumentSpecs'] } } | undefined)?.main;
  return {
    name: path.basename(path.resolve(dir)),
    dir,
    defaults: defaultsFile ? mapping(read(`defaults/${defaultsFile}`), path.join(dir, 'defaults', defaultsFile)) : {},
    vars,
    tasks,
    handlers: handlersFile ? list(read(`handlers/${handlersFile}`), path.join(dir, 'handlers', handlersFile)) : [],
    meta: metaFile ? mapping(read(`meta/${metaFile}`), path.join(dir, 'meta', metaFile)) : {},
    argumentSpecs: main?.options ?? {},
    templates: tree(path.join(dir, 'templates')),
    files: tree(path.join(dir, 'files')),
  };
}
