// `npm run import -- <role folder>`: writes roles-src/<name>/role.ts (templates and files copied
// beside it), which the user then owns. Refuses to overwrite an existing role source unless
// forced; writes into a temporary folder first, so a failure leaves roles-src/ as it was.
import fs from 'node:fs';
import path from 'node:path';
import { format, type Options } from 'prettier';
import { parse } from 'yaml';
import { ImportError, readRole, templateText, type RoleFolder } from './read-role.js';
import { INPUTS_HEADING, ROLE_PLUGIN_DIRS } from '../role-layout.js';
import { literal, projectRoleName, RoleConverter, type ImportSummary } from './to-dsl.js';
import { freeFormArgs, modulesFor, type DocOptionType } from './resolve-modules.js';
import { verifyImportedRole } from './verify-import.js';
import { PROJECT_ROOT } from '../../lib/python-env.js';

/** The project's own prettier settings, so an imported role reads like the hand-written ones. */
export const PRETTIER_OPTIONS = JSON.parse(
  fs.readFileSync(path.join(PROJECT_ROOT, '.prettierrc.json'), 'utf8'),
) as Options;

export interface ImportOptions {
  /** Project root (roles-src/ and dsl/ under it). */
  root: string;
  /** Role name in the project (default: the folder's name without 'ansible-role-', '-' as '_'). */
  name?: string;
  force?: boolean;
  /** Where the role source goes (default: <root>/roles-src/<name>). */
  targetDir?: string;
  /**
   * Type the modules dsl/modules/ lacks by generating them (`gen:modules`) before converting
   * (default true); when false they stay `untypedModule` calls.
   */
  generate?: boolean;
  /**
   * The collection the role belongs to (`namespace.name`); by default read from the collection
   * the folder sits in (its galaxy.yml or MANIFEST.json two folders up, or an
   * ansible_collections/<ns>/<name>/roles/ path).
   */
  collection?: string;
  /**
   * Build the project and compare the emitted role with the original as Ansible reads both
   * (default true, but false with a targetDir, outside what the build reads): a difference refuses
   * the import and leaves roles-src/ as it was.
   */
  verify?: boolean;
}

export interface ImportResult {
  name: string;
  dir: string;
  summary: ImportSummary;
  /** Modules added to dsl/modules/ for this role. */
  generated: string[];
  milliseconds: number;
}

const COLLECTION_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/**
 * The collection a role folder sits in: `roles/<name>` of a collection's source (galaxy.yml) or of
 * an installed one (MANIFEST.json), an ansible_collections/<ns>/<name>/roles/ path, or a role of
 * out/ that the build made reachable as a collection's.
 */
export function collectionOf(folder: string): string | undefined {
  const abs = path.resolve(folder);
  if (path.basename(path.dirname(abs)) !== 'roles') return undefined;
  const top = path.dirname(path.dirname(abs));
  const galaxy = path.join(top, 'galaxy.yml');
  if (fs.existsSync(galaxy)) {
    const g = parse(fs.readFileSync(galaxy, 'utf8'), { version: '1.1' }) as {
      namespace?: unknown;
      name?: unknown;
    } | null;
    if (typeof g?.namespace === 'string' && typeof g.name === 'string') return `${g.namespace}.${g.name}`;
  }
  const manifest = path.join(top, 'MANIFEST.json');
  if (fs.existsSync(manifest)) {
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
      collection_info?: { namespace?: unknown; name?: unknown };
    };
    const i = m.collection_info;
    if (typeof i?.namespace === 'string' && typeof i.name === 'string') return `${i.namespace}.${i.name}`;
  }
  const m = /[\\/]ansible_collections[\\/]([^\\/]+)[\\/]([^\\/]+)$/.exec(top);
  if (m) return `${m[1]!}.${m[2]!}`;
  // A role this project's build emitted (out/roles/<name>), reachable as a collection's beside it.
  const installed = path.join(top, 'collections', 'ansible_collections');
  for (const ns of fs.existsSync(installed) ? fs.readdirSync(installed).sort() : [])
    for (const coll of fs.readdirSync(path.join(installed, ns)).sort())
      if (fs.existsSync(path.join(installed, ns, coll, 'roles', path.basename(abs)))) return `${ns}.${coll}`;
  return undefined;
}

/** The collection of each of the project's roles that has one, as its source (written by this importer) says. */
function projectCollections(sourcesDir: string, names: readonly string[]): Map<string, string> {
  return new Map(
    names.flatMap((n) => {
      const m = /^\s*collection: '([^']+)',?$/m.exec(fs.readFileSync(path.join(sourcesDir, n, 'role.ts'), 'utf8'));
      return m ? [[n, m[1]!] as const] : [];
    }),
  );
}

export function roleNameFor(folder: string): string {
  return path
    .basename(path.resolve(folder))
    .replace(/^ansible-role-/, '')
    .replace(/[-.]/g, '_')
    .toLowerCase();
}

/** Galaxy metadata as Galaxy reads it: versions are strings (`2.10`, a platform's `10`). */
function metaValue(key: string, value: unknown): unknown {
  if (key === 'min_ansible_version' && typeof value === 'number') return String(value);
  if (key === 'platforms' && Array.isArray(value))
    return value.map((p: unknown) => {
      // `version:` for `versions:` is a slip Galaxy ignores: carried under the key Galaxy reads.
      const { version, ...platform } = p as { versions?: unknown; version?: unknown };
      const versions = platform.versions ?? version;
      return Array.isArray(versions)
        ? { ...platform, versions: versions.map((x: unknown) => (typeof x === 'number' ? String(x) : x)) }
        : p;
    });
  return value;
}

/**
 * meta/main.yml but its dependencies (the role uses carry those), Galaxy's information with its
 * versions as the strings Galaxy's schema reads (metaValue): nothing a play reads is changed.
 */
function originalMain(meta: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const main = Object.fromEntries(Object.entries(meta).filter(([k]) => k !== 'dependencies'));
  const info = main.galaxy_info;
  if (info && typeof info === 'object')
    main.galaxy_info = Object.fromEntries(Object.entries(info).map(([k, v]) => [k, metaValue(k, v)]));
  return main;
}

/** A meta dependency as a role use, when the project has that role's source; else undefined. */
function dependencyUse(
  dep: unknown,
  roleSources: ReadonlyMap<string, string>,
): { name: string; use: string } | undefined {
  const d = (typeof dep === 'string' ? { role: dep } : dep) as {
    role?: unknown;
    name?: unknown;
    when?: unknown;
    tags?: unknown;
    vars?: unknown;
  } | null;
  const written = typeof d?.role === 'string' ? d.role : typeof d?.name === 'string' ? d.name : undefined;
  const name = written && projectRoleName(written, (n) => roleSources.has(n));
  if (!name || !roleSources.has(name)) return undefined;
  const options = {
    ...(typeof d?.when === 'string' ? { when: d.when } : {}),
    ...(Array.isArray(d?.tags) ? { tags: d.tags as unknown[] } : {}),
  };
  const vars = d?.vars && typeof d.vars === 'object' ? d.vars : {};
  return { name, use: `${name}.use(${literal(vars)}${Object.keys(options).length ? `, ${literal(options)}` : ''})` };
}

/** `roleSources`: the roles the project has, by name, with the module path to import each (a dependency on one becomes a typed use). */
export async function roleSource(
  role: RoleFolder,
  name: string,
  dslImport: string,
  modules: {
    typed: ReadonlyMap<string, string>;
    resolved?: ReadonlyMap<string, string>;
    missingCollections?: ReadonlyMap<string, readonly string[]>;
    options?: ReadonlyMap<string, Readonly<Record<string, DocOptionType>>>;
    untypeable?: ReadonlySet<string>;
    freeForm?: ReadonlyMap<string, Record<string, unknown>>;
  },
  roleSources: ReadonlyMap<string, string> = new Map(),
  /** Variables the role reads and never sets that its README or defaults' comments document (a caller's inputs), with that line. */
  inputs: ReadonlyMap<string, string> = new Map(),
  /** The collection this role belongs to, and those of the project's other roles (by name). */
  collection?: string,
  collections: ReadonlyMap<string, string> = new Map(),
): Promise<{ text: string; summary: ImportSummary }> {
  inputs = new Map([...inputsNamed(role.dir), ...inputs].sort(([a], [b]) => a.localeCompare(b)));
  const c = new RoleConverter(role, modules.typed, modules.resolved, modules.options);
  c.freeForm = modules.freeForm ?? new Map();
  c.localRoles = new Map([...roleSources.keys()].map((n) => [n, collections.get(n)]));
  c.untypeable = modules.untypeable ?? new Set();
  for (const [collection, names] of modules.missingCollections ?? [])
    c.summary.notes.push(
      `collection ${collection} is not installed: ${names.join(', ')} kept as untypedModule calls (to type them: ansible-galaxy collection install ${collection}, then import again)`,
    );
  const info = (role.meta.galaxy_info ?? {}) as Record<string, unknown>;
  // In the argument specs' order (which lists required and optional variables among the others),
  // then any default the specs leave out.
  // A spec option whose name no variable can have (`x.sub-key`, `name:`) is documentation only:
  // it stays in the argument specs (written as they came), and is no variable to declare.
  const specNames = Object.keys(role.argumentSpecs).filter(
    (k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || k in role.defaults,
  );
  for (const k of Object.keys(role.argumentSpecs).filter((n) => !specNames.includes(n)))
    c.summary.notes.push(
      `meta/argument_specs.yml: option '${k}' names no variable (not a valid name): kept in the specs, not declared`,
    );
  const declared = Object.fromEntries([
    ...specNames.map((k) => [k, role.defaults[k]]),
    ...Object.keys(role.defaults)
      .filter((k) => !(k in role.argumentSpecs))
      .map((k) => [k, role.defaults[k]]),
  ]) as Record<string, unknown>;
  const vars = Object.entries(declared).map(
    ([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k)}: ${c.variable(k, v)}`,
  );
  for (const [k, description] of inputs) {
    // An input the argument specs declare already (the heading lists every variable without a default).
    if (Object.hasOwn(declared, k)) continue;
    vars.push(`${k}: ${c.useName('raw')}({ description: ${literal(description)} })`);
    c.summary.notes.push(
      `${k}: read and never set, documented in the README or a comment of defaults/main.yml: declared as an input the play or inventory gives (no default)`,
    );
  }
  const taskFiles = Object.entries(role.tasks)
    .filter(([n]) => n !== 'main')
    .map(([n, items]) => `${literal(n)}: () => ${c.list(items, `tasks/${n}.yml`)}`);
  const tasks = c.list(role.tasks.main ?? [], 'tasks/main.yml');
  const handlers = role.handlers.map((h, i) => c.handler(h, `handlers[${i}]`)).filter(Boolean);
  const deps = Array.isArray(role.meta.dependencies) ? (role.meta.dependencies as unknown[]) : [];
  const uses = deps.map((d) => dependencyUse(d, roleSources));
  const missing = deps.filter((_, i) => !uses[i]).map((d) => (typeof d === 'string' ? d : JSON.stringify(d)));
  if (missing.length)
    c.summary.notes.push(
      `meta/main.yml: dependencies ${missing.join(', ')} left out: import those roles first, then import this one again`,
    );
  const found = uses.filter((u): u is { name: string; use: string } => !!u);
  const meta = Object.fromEntries(
    ['author', 'license', 'min_ansible_version', 'platforms', 'galaxy_tags']
      .filter((k) => info[k] !== undefined)
      .map((k) => [k, metaValue(k, info[k])]),
  );
  const body = [
    `name: ${literal(name)}`,
    ...(collection ? [`collection: ${literal(collection)}`] : []),
    `description: ${literal(typeof info.description === 'string' ? info.description : `Imported from ${role.name}`)}`,
    ...(Object.keys(meta).length ? [`meta: ${literal(meta)}`] : []),
    ...(found.length ? [`dependencies: [${found.map((u) => u.use).join(', ')}]`] : []),
    // The role keeps its own style; the build refuses only what Ansible would reject.
    'houseStyle: false',
    // Its meta as it came (Galaxy's information, every argument spec entry point): Ansible reads both.
    `originalMeta: ${literal({ main: originalMain(role.meta), ...(role.metaFiles.length ? { verbatim: role.metaFiles } : {}) })}`,

    `vars: { ${vars.join(', ')} }`,
    ...(Object.keys(role.vars).length ? [`varsFiles: ${literal(role.vars)}`] : []),
    ...(taskFiles.length ? [`taskFiles: { ${taskFiles.join(', ')} }`] : []),
    `tasks: () => ${tasks}`,
    ...(handlers.length ? [`handlers: () => [${handlers.join(', ')}]`] : []),
  ];
  c.assertNothingDropped();
  const text = [
    `// Imported from ${role.name} by \`npm run import\`: this source is now the role; edit it here.`,
    `import { ${[...c.imports].sort().join(', ')} } from ${literal(dslImport)};`,
    ...[...new Set(found.map((u) => u.name))].map((n) => `import ${n} from ${literal(roleSources.get(n)!)};`),
    '',
    `export default defineRole({ ${body.join(',\n')} });`,
    '',
  ].join('\n');
  return { text: await format(text, { ...PRETTIER_OPTIONS, parser: 'typescript' }), summary: c.summary };
}

export async function importRole(folder: string, opts: ImportOptions): Promise<ImportResult> {
  const t0 = performance.now();
  const role = readRole(folder);
  const name = opts.name ?? roleNameFor(folder);
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new ImportError(`role name '${name}' must be lower-case letters, digits and underscores: pass --name`);
  const dir = opts.targetDir ?? path.join(opts.root, 'roles-src', name);
  if (fs.existsSync(dir) && !opts.force)
    throw new ImportError(
      `${dir} exists: a role source named '${name}' is already there (use --force to replace it, or --name)`,
    );
  const sourcesDir = path.join(opts.root, 'roles-src');
  const relative = (to: string) => {
    const r = path.relative(dir, to).split(path.sep).join('/');
    return r.startsWith('.') ? r : `./${r}`;
  };
  const roleSources = new Map(
    (fs.existsSync(sourcesDir) ? fs.readdirSync(sourcesDir) : [])
      .filter((d) => d !== name && fs.existsSync(path.join(sourcesDir, d, 'role.ts')))
      .map((d) => [d, relative(path.join(sourcesDir, d, 'role.js'))]),
  );
  // Every module the role calls must be one Ansible knows; those dsl/modules/ lacks are generated.
  const modules = {
    ...(await modulesFor(opts.root, role, opts.generate !== false)),
    freeForm: await freeFormArgs(role),
  };
  const dslPath = relative(path.join(opts.root, 'dsl', 'index.js'));
  const collection = opts.collection ?? collectionOf(folder);
  if (collection !== undefined && !COLLECTION_NAME.test(collection))
    throw new ImportError(
      `collection '${collection}' must be '<namespace>.<name>' (lower-case letters, digits, underscores)`,
    );
  const collections = projectCollections(sourcesDir, [...roleSources.keys()]);
  const first = await roleSource(role, name, dslPath, modules, roleSources, new Map(), collection, collections);
  const text = first.text;
  let summary = first.summary;
  const tmp = `${dir}.import-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'role.ts'), text);
    for (const [sub, rels] of Object.entries(role.plugins)) {
      for (const rel of rels) {
        fs.mkdirSync(path.dirname(path.join(tmp, sub, rel)), { recursive: true });
        fs.copyFileSync(path.join(folder, sub, rel), path.join(tmp, sub, rel));
      }
    }
    for (const rel of role.metaFiles) {
      fs.mkdirSync(path.dirname(path.join(tmp, 'meta', rel)), { recursive: true });
      fs.copyFileSync(path.join(folder, 'meta', rel), path.join(tmp, 'meta', rel));
    }
    for (const sub of ['templates', 'files'] as const) {
      for (const rel of role[sub]) {
        fs.mkdirSync(path.dirname(path.join(tmp, sub, rel)), { recursive: true });
        const from = path.join(folder, sub, rel);
        if (sub === 'templates')
          fs.writeFileSync(path.join(tmp, sub, rel), templateText(fs.readFileSync(from, 'utf8')));
        else fs.copyFileSync(from, path.join(tmp, sub, rel));
      }
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  // Replaces what an import writes (role.ts, templates/, files/); other files the user keeps
  // beside the role source (a typed parameter list, say) stay. What it replaces is kept aside
  // until the emitted role is proven the same as the original, and put back if it is not.
  const entries = ['role.ts', 'templates', 'files', 'meta', ...ROLE_PLUGIN_DIRS];
  const existed = fs.existsSync(dir);
  // Outside roles-src/ (the build reads every folder there), on the same file system (a rename).
  const before = path.join(opts.root, '.build', `import-before-${name}-${process.pid}`);
  fs.rmSync(before, { recursive: true, force: true });
  fs.mkdirSync(before, { recursive: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of entries) {
    if (fs.existsSync(path.join(dir, entry))) fs.renameSync(path.join(dir, entry), path.join(before, entry));
    if (fs.existsSync(path.join(tmp, entry))) fs.renameSync(path.join(tmp, entry), path.join(dir, entry));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    if (opts.verify ?? !opts.targetDir) {
      const inputs = await verifiedWithInputs(opts.root, name, folder, async (found) => {
        const again = await roleSource(role, name, dslPath, modules, roleSources, found, collection, collections);
        fs.writeFileSync(path.join(dir, 'role.ts'), again.text);
        summary = again.summary;
      });
      if (inputs.size)
        summary.notes.push(
          `caller inputs declared from the README or defaults/main.yml's comments: ${[...inputs.keys()].join(', ')}`,
        );
    }
  } catch (e) {
    for (const entry of entries) {
      fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
      if (fs.existsSync(path.join(before, entry))) fs.renameSync(path.join(before, entry), path.join(dir, entry));
    }
    if (!existed) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    fs.rmSync(before, { recursive: true, force: true });
  }
  return { name, dir, summary, generated: modules.generated, milliseconds: Math.round(performance.now() - t0) };
}

/**
 * Verifies the imported role; where the build refuses only reads of variables the role never sets
 * and its README or a comment in its defaults documents (inputs a caller gives, the common case
 * in public roles), declares those (`declare`) and verifies once more. A read neither names stays
 * refused: a typo, or a read of something nothing defines.
 */
async function verifiedWithInputs(
  root: string,
  name: string,
  folder: string,
  declare: (inputs: ReadonlyMap<string, string>) => Promise<void>,
): Promise<ReadonlyMap<string, string>> {
  try {
    await verifyImportedRole(root, name, folder);
    return new Map();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const lines = message.split('\n').filter((l) => l.startsWith(`roles-src/${name}/`));
    const undeclared = lines.map((l) => /reads undeclared variable '([A-Za-z_][\w]*)'/.exec(l)?.[1]);
    const readme = new Map([...readmeText(folder), ...commentedDefaults(folder)]);
    const inputs = new Map<string, string>();
    for (const n of undeclared)
      if (n && !inputs.has(n) && readme.has(n))
        inputs.set(
          n,
          readme
            .get(n)!
            .replace(n, '')
            .replace(/^[\s:=-]+/, '') || `${n}, from the README`,
        );
    // Only when every refusal is such a read: anything else is reported as it is.
    if (!lines.length || !inputs.size || undeclared.some((n) => !n || !inputs.has(n))) throw e;
    await declare(inputs);
    await verifyImportedRole(root, name, folder);
    return inputs;
  }
}

/**
 * The inputs a role built by this project names under INPUTS_HEADING at the end of its
 * defaults/main.yml (a description the writer wrapped is joined again).
 */
function inputsNamed(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = path.join(folder, 'defaults/main.yml');
  if (!fs.existsSync(file)) return out;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let last: string | undefined;
  for (const line of lines.slice(lines.indexOf(`# ${INPUTS_HEADING}`) + 1 || lines.length)) {
    const m = /^# ([A-Za-z_]\w*): ?(.*)$/.exec(line);
    if (m) out.set((last = m[1]!), m[2]!);
    else if (last && line.startsWith('# ')) out.set(last, `${out.get(last)!} ${line.slice(2)}`);
    else break;
  }
  return out;
}

/**
 * Each variable defaults/main.yml names only in a comment (`# pg_keyring: /usr/share/...`): a
 * caller's input the role documents where its defaults are, with that line.
 */
function commentedDefaults(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of ['defaults/main.yml', 'defaults/main.yaml'].map((x) => path.join(folder, x)))
    if (fs.existsSync(f))
      for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
        const m = /^#\s*([A-Za-z_]\w*):(.*)$/.exec(line);
        if (m && !out.has(m[1]!)) out.set(m[1]!, `commented out in defaults/main.yml:${m[2]!.trimEnd()}`);
      }
  return out;
}

/** Each variable name a role's README mentions, with the first line that does (markdown trimmed). */
function readmeText(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fs.readdirSync(folder).filter((x) => /^readme/i.test(x) && /\.(md|rst|txt)$/i.test(x))) {
    for (const line of fs.readFileSync(path.join(folder, f), 'utf8').split('\n')) {
      const text = line
        .replace(/[|`*#]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      for (const m of line.matchAll(/\b([a-z_][a-z0-9_]*)\b/g))
        if (m[1]!.includes('_') && !out.has(m[1]!))
          out.set(m[1]!, text.length > 200 ? `${text.slice(0, 197)}...` : text);
    }
  }
  return out;
}
