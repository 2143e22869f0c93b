// `npm run import -- <playbook.yml>`: writes playbooks/<name>.ts from an existing playbook, which
// the user then owns. Plays keep their keywords; their tasks and handlers are converted as a
// role's are; roles become typed uses of the project's role sources and `import_playbook` a typed
// import of a project playbook (both must exist: import those first). Refuses to overwrite an
// existing source unless forced; writes through a temporary file, so a failure leaves playbooks/
// as it was.
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'prettier';
import { ImportError, readYaml, type RoleFolder } from './read-role.js';
import { PRETTIER_OPTIONS } from './import-role.js';
import { PLAY_KEYS } from '../check/keys.js';
import { modulesFor } from './resolve-modules.js';
import { literal, projectRoleName, RoleConverter, type ImportSummary } from './to-dsl.js';

export interface PlaybookImportOptions {
  /** Project root (playbooks/, roles-src/ and dsl/ under it). */
  root: string;
  /** Playbook name in the project (default: the file name without .yml). */
  name?: string;
  force?: boolean;
  /** As for roles: generate the types of modules dsl/modules/ lacks (default true). */
  generate?: boolean;
}

export interface PlaybookImportResult {
  name: string;
  file: string;
  summary: ImportSummary;
  generated: string[];
  milliseconds: number;
}

/** Play keywords copied as they are (the task lists, roles, handlers and vars_files are converted). */
const CONVERTED = new Set(['pre_tasks', 'tasks', 'post_tasks', 'roles', 'handlers', 'vars_files']);
const PLAIN_KEYS = PLAY_KEYS.filter((k) => !CONVERTED.has(k));
const TASK_LISTS = ['pre_tasks', 'tasks', 'post_tasks'] as const;
const IMPORT_PLAYBOOK = new Set(['import_playbook', 'ansible.builtin.import_playbook']);

const identifier = (name: string) => name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(\d)/, '_$1');
const isMapping = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The play entries of a playbook file, refused unless it is a list of mappings. */
function readPlays(file: string): Record<string, unknown>[] {
  const value = readYaml(file);
  if (!Array.isArray(value) || !value.length || !value.every(isMapping))
    throw new ImportError(`${file}: not a playbook (expected a list of plays)`);
  return value;
}

/** Everything the plays run, as one role-shaped value, so modules resolve as a role's do. */
function tasksOf(plays: readonly Record<string, unknown>[], file: string): RoleFolder {
  const tasks: Record<string, unknown[]> = {};
  const handlers: unknown[] = [];
  plays.forEach((p, i) => {
    for (const k of TASK_LISTS) if (Array.isArray(p[k])) tasks[`plays[${String(i)}].${k}`] = p[k] as unknown[];
    if (Array.isArray(p.handlers)) handlers.push(...(p.handlers as unknown[]));
  });
  return {
    name: path.basename(file),
    dir: path.dirname(file),
    defaults: {},
    defaultComments: {},
    vars: {},
    tasks,
    handlers,
    meta: {},
    argumentSpecs: {},
    metaFiles: [],
    templates: [],
    files: [],
    plugins: {},
  };
}

class PlaybookConverter {
  readonly roleImports = new Map<string, string>(); // identifier -> module path
  readonly playbookImports = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly c: RoleConverter,
  ) {}

  private roleUse(entry: unknown, where: string): string {
    const d = typeof entry === 'string' ? { role: entry } : isMapping(entry) ? entry : {};
    const written = typeof d.role === 'string' ? d.role : typeof d.name === 'string' ? d.name : undefined;
    if (!written) throw new ImportError(`${where}: a role entry names no role`);
    const has = (n: string) => fs.existsSync(path.join(this.root, 'roles-src', n, 'role.ts'));
    const name = projectRoleName(written, has);
    if (!has(name))
      throw new ImportError(
        `${where}: role '${name}' is not in roles-src/: import it first (npm run import -- path/to/${name})`,
      );
    // Role parameters written beside `role:` are its variables too (the older form).
    const { role: _r, name: _n, vars, when, tags, ...params } = d;
    const values = { ...params, ...(isMapping(vars) ? vars : {}) };
    const options = {
      ...(typeof when === 'string' ? { when } : {}),
      ...(typeof tags === 'string' ? { tags: [tags] } : Array.isArray(tags) ? { tags } : {}),
    };
    this.roleImports.set(identifier(name), `../roles-src/${name}/role.js`);
    return `${identifier(name)}.use(${literal(values)}${Object.keys(options).length ? `, ${literal(options)}` : ''})`;
  }

  /** Plain variable files to copy into playbooks/vars/ (the emitted playbook reads them from there). */
  readonly varsCopies: { from: string; to: string }[] = [];

  private varsFile(entry: unknown, dir: string, where: string): string {
    if (typeof entry !== 'string') throw new ImportError(`${where}: expected a file name`);
    const file = path.resolve(dir, entry);
    let value: unknown;
    try {
      value = !entry.includes('{{') && fs.existsSync(file) ? readYaml(file) : undefined;
    } catch {
      value = undefined; // encrypted (ansible-vault) or not YAML: kept where it is, see the note
    }
    if (!isMapping(value)) {
      this.c.summary.notes.push(
        `${where}: ${entry} kept as written (not a plain variable file here); list the variables it provides in 'provides' so the build accepts them`,
      );
      return `{ path: ${literal(entry)}, provides: [] }`;
    }
    // The project keeps a plain file beside its playbook sources; out/ is rebuilt, so the emitted
    // playbook reads it from there.
    const to = path.join(this.root, 'playbooks', 'vars', path.basename(file));
    this.varsCopies.push({ from: file, to });
    return `{ path: ${literal(`../playbooks/vars/${path.basename(file)}`)}, provides: ${literal(Object.keys(value))} }`;
  }

  play(p: Record<string, unknown>, i: number, dir: string): string {
    const where = `plays[${String(i)}]`;
    const first = Object.keys(p).find((k) => IMPORT_PLAYBOOK.has(k));
    if (first) return this.importPlaybook(p, first, where);
    if (typeof p.hosts !== 'string') throw new ImportError(`${where}: a play needs hosts`);
    const parts: string[] = [];
    if (typeof p.name !== 'string')
      this.c.summary.notes.push(`${where}: play without a name: named 'Play ${String(i + 1)}'`);
    parts.push(`name: ${literal(typeof p.name === 'string' ? p.name : `Play ${String(i + 1)}`)}`);
    for (const k of PLAIN_KEYS)
      if (k !== 'name' && p[k] !== undefined)
        parts.push(`${k}: ${literal(k === 'tags' && typeof p[k] === 'string' ? [p[k]] : p[k])}`);
    if (Array.isArray(p.vars_files))
      parts.push(
        `vars_files: [${p.vars_files.map((f, j) => this.varsFile(f, dir, `${where}.vars_files[${String(j)}]`)).join(', ')}]`,
      );
    for (const k of TASK_LISTS)
      if (Array.isArray(p[k])) parts.push(`${k}: ${this.c.list(p[k] as unknown[], `${where}.${k}`)}`);
    if (Array.isArray(p.roles))
      parts.push(`roles: [${p.roles.map((r, j) => this.roleUse(r, `${where}.roles[${String(j)}]`)).join(', ')}]`);
    if (Array.isArray(p.handlers))
      parts.push(
        `handlers: [${p.handlers
          .map((h, j) => this.c.handler(h, `${where}.handlers[${String(j)}]`))
          .filter(Boolean)
          .join(', ')}]`,
      );
    const known = new Set<string>(PLAY_KEYS);
    for (const k of Object.keys(p))
      if (!known.has(k)) this.c.summary.notes.push(`${where}.${k}: left out (the DSL's plays have no such key)`);
    return `{ ${parts.join(',\n')} }`;
  }

  private importPlaybook(p: Record<string, unknown>, key: string, where: string): string {
    const target = p[key];
    if (typeof target !== 'string') throw new ImportError(`${where}.${key}: expected a playbook file name`);
    const name = path.basename(target).replace(/\.ya?ml$/, '');
    if (!fs.existsSync(path.join(this.root, 'playbooks', `${name}.ts`)))
      throw new ImportError(
        `${where}.${key}: playbook '${name}' is not in playbooks/: import it first (npm run import -- path/to/${target})`,
      );
    this.playbookImports.set(identifier(name), `./${name}.js`);
    const options = {
      ...(typeof p.when === 'string' ? { when: p.when } : {}),
      ...(Array.isArray(p.tags) ? { tags: p.tags } : {}),
      ...(isMapping(p.vars) ? { vars: p.vars } : {}),
    };
    this.c.summary.typed++;
    return `${this.c.useName('importPlaybook')}(${identifier(name)}${Object.keys(options).length ? `, ${literal(options)}` : ''})`;
  }
}

export async function importPlaybookFile(file: string, opts: PlaybookImportOptions): Promise<PlaybookImportResult> {
  const t0 = performance.now();
  const plays = readPlays(file);
  const name = opts.name ?? path.basename(file).replace(/\.ya?ml$/, '');
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name))
    throw new ImportError(`playbook name '${name}' must be lower-case letters, digits, '-' and '_': pass --name`);
  const target = path.join(opts.root, 'playbooks', `${name}.ts`);
  if (fs.existsSync(target) && !opts.force)
    throw new ImportError(
      `${target} exists: a playbook source named '${name}' is already there (use --force to replace it, or --name)`,
    );
  const pseudoRole = tasksOf(plays, file);
  const modules = await modulesFor(opts.root, pseudoRole, opts.generate !== false);
  const c = new RoleConverter(pseudoRole, modules.typed, modules.resolved, modules.options);
  c.untypeable = modules.untypeable;
  const pc = new PlaybookConverter(opts.root, c);
  const entries = plays.map((p, i) => pc.play(p, i, path.dirname(file)));
  c.useName('playbook');
  const text = [
    `// Imported from ${path.basename(file)} by \`npm run import\`: this source is now the playbook; edit it here.`,
    `import { ${[...c.imports]
      .filter((n) => n !== 'defineRole')
      .sort()
      .join(', ')} } from '../dsl/index.js';`,
    ...[...pc.roleImports].map(([id, from]) => `import ${id} from ${literal(from)};`),
    ...[...pc.playbookImports].map(([id, from]) => `import ${id} from ${literal(from)};`),
    '',
    `export default playbook({ name: ${literal(name)}, description: ${literal(`Imported from ${path.basename(file)}`)}, plays: [${entries.join(',\n')}] });`,
    '',
  ].join('\n');
  const formatted = await format(text, { ...PRETTIER_OPTIONS, parser: 'typescript' });
  for (const { from, to } of pc.varsCopies)
    if (fs.existsSync(to) && !opts.force && !fs.readFileSync(to).equals(fs.readFileSync(from)))
      throw new ImportError(`${to} exists with other content (use --force to replace it)`);
  for (const { from, to } of pc.varsCopies) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.import-${String(process.pid)}`;
  fs.writeFileSync(tmp, formatted);
  fs.renameSync(tmp, target);
  return {
    name,
    file: target,
    summary: c.summary,
    generated: modules.generated,
    milliseconds: Math.round(performance.now() - t0),
  };
}
