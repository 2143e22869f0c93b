// Renders one role to its Ansible files: tasks, handlers, defaults, argument specs, meta,
// templates, files and a README, all from the one TypeScript declaration.
import fs from 'node:fs';
import path from 'node:path';
import type { OptionSpec } from '../dsl/module.js';
import { DEFAULT_META, refsFor, type Role } from '../dsl/role.js';
import type { VarDecls } from '../dsl/vars.js';
import { checkOptions } from './check-args.js';
import type { Problems } from './errors.js';
import { isMagic, LITERAL_HINT, scanTemplate } from './jinja-refs.js';
import { renderRoleReadme } from './render-readme.js';
import { boundNames, renderTasks, type Scope } from './render-tasks.js';
import { checkTaskList } from './check-tasks.js';
import { plain, strings } from './values.js';

/** Emitted files by path under out/: text, bytes, or data to write as YAML. */
export type OutFiles = Map<string, string | Buffer | { yaml: unknown; comment?: string }>;

export interface RoleSource {
  role: Role<VarDecls>;
  /** Path of the role's source file, relative to the project root (for messages). */
  file: string;
  /** The role's source folder (templates/ and files/ live here). */
  dir: string;
}

export function varOptionSpecs(vars: VarDecls): Record<string, OptionSpec> {
  const out: Record<string, OptionSpec> = {};
  for (const [k, v] of Object.entries(vars)) {
    out[k] = { type: v.type, ...(v.choices ? { choices: v.choices } : {}), ...(v.elements ? { elements: v.elements } : {}) };
  }
  return out;
}

function listDir(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort() : [];
}

function catchUndeclared<T>(problems: Problems, file: string, field: string, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (e) {
    problems.add(file, field, e instanceof Error ? e.message : String(e));
    return fallback;
  }
}

export function renderRole(src: RoleSource, inventoryVars: ReadonlySet<string>, problems: Problems): OutFiles {
  const { role, file } = src;
  const def = role.definition;
  const files: OutFiles = new Map();
  const base = `roles/${def.name}`;

  if (!/^[a-z][a-z0-9_]*$/.test(def.name)) problems.add(file, 'name', `role name '${def.name}' must be lower-case letters, digits and underscores`);
  for (const [k, v] of Object.entries(def.vars)) {
    if (!k.startsWith(`${def.name}_`)) problems.add(file, `vars.${k}`, `role variables must start with the role's name ('${def.name}_'), as ansible-lint's var-naming rule expects`);
    if (!v.description?.trim()) problems.add(file, `vars.${k}`, 'every variable needs a description (it goes to the argument specs and README)');
  }
  const defaults = plain(Object.fromEntries(Object.entries(def.vars).map(([k, v]) => [k, v.default]))) as Record<string, unknown>;
  checkOptions(varOptionSpecs(def.vars), defaults, 'vars', (f, m) => problems.add(file, `${f}.default`, m));

  const refs = refsFor(def.name, def.vars);
  const tasks = catchUndeclared(problems, file, 'tasks', () => def.tasks(refs), []);
  const handlers = catchUndeclared(problems, file, 'handlers', () => def.handlers?.(refs) ?? [], []);

  const templatesDir = path.join(src.dir, 'templates');
  const filesDir = path.join(src.dir, 'files');
  const templateNames = listDir(templatesDir);
  const fileNames = listDir(filesDir);

  // Tasks read what earlier tasks bound (renderTasks follows the order); handlers run after every
  // task; a template may be rendered by any task, in a loop too.
  const known = new Set([...Object.keys(def.vars), ...inventoryVars]);
  const afterTasks = boundNames(tasks, new Set(known));
  const templateKnown = new Set([...boundNames(handlers, new Set(afterTasks)), 'item']);
  const scope: Scope = {
    file, problems, known, handlers: new Set(handlers.map((h) => h.name)),
    knownFrom: `role '${def.name}' declares ${Object.keys(def.vars).join(', ')}; the inventory provides ${[...inventoryVars].join(', ')}`,
  };
  const report = (f: string, m: string) => problems.add(file, f, m);
  // Defaults are templates too: a default may read another variable, which must exist.
  for (const [k, v] of Object.entries(defaults)) {
    for (const [at, text] of strings(v, '')) {
      const scan = scanTemplate(text);
      for (const name of scan.reads) {
        if (scan.binds.has(name) || known.has(name) || isMagic(name)) continue;
        report(`vars.${k}.default${at ? `.${at}` : ''}`, `reads undeclared variable '${name}'; declare it (${scope.knownFrom}) or fix the name${LITERAL_HINT}`);
      }
    }
  }
  checkTaskList(tasks, 'tasks', report);
  checkTaskList(handlers, 'handlers', report);
  const renderedTasks = renderTasks(scope, tasks, 'tasks');
  const renderedHandlers = renderTasks({ ...scope, known: afterTasks, handlers: new Set() }, handlers, 'handlers');

  // Templates and files a task names must exist next to the role source.
  const walk = (items: Record<string, unknown>[], field: string): void => items.forEach((t, i) => {
    for (const [mod, list, dir] of [['ansible.builtin.template', templateNames, 'templates'], ['ansible.builtin.copy', fileNames, 'files']] as const) {
      const src = (t[mod] as { src?: unknown } | undefined)?.src;
      if (typeof src === 'string' && !src.includes('{{') && !list.includes(src)) {
        problems.add(file, `${field}[${i}].${mod}.src`, `'${src}' not found in ${dir}/ next to the role source (have: ${list.join(', ') || 'none'})`);
      }
    }
    for (const k of ['block', 'rescue', 'always']) if (Array.isArray(t[k])) walk(t[k] as Record<string, unknown>[], `${field}[${i}].${k}`);
  });
  walk(renderedTasks, 'tasks');

  for (const name of templateNames) {
    const text = fs.readFileSync(path.join(templatesDir, name), 'utf8');
    const scan = scanTemplate(text);
    for (const v of scan.reads) {
      if (!scan.binds.has(v) && !templateKnown.has(v) && !isMagic(v)) {
        problems.add(path.join(path.dirname(file), 'templates', name), v, `reads undeclared variable '${v}'; declare it in role '${def.name}' (${file}) or fix the name${LITERAL_HINT}`);
      }
    }
    files.set(`${base}/templates/${name}`, text);
  }
  for (const name of fileNames) files.set(`${base}/files/${name}`, fs.readFileSync(path.join(filesDir, name)));

  const meta = { ...DEFAULT_META, ...def.meta };
  files.set(`${base}/tasks/main.yml`, { yaml: renderedTasks });
  files.set(`${base}/handlers/main.yml`, { yaml: renderedHandlers });
  files.set(`${base}/defaults/main.yml`, { yaml: defaults });
  files.set(`${base}/meta/main.yml`, { yaml: {
    galaxy_info: {
      role_name: def.name, namespace: 'pgha', author: meta.author, description: def.description, license: meta.license,
      min_ansible_version: meta.min_ansible_version, platforms: meta.platforms, galaxy_tags: meta.galaxy_tags ?? [],
    },
    dependencies: (def.dependencies ?? []).map((u) => ({
      role: u.role.definition.name, ...(u.when !== undefined ? { when: u.when } : {}), ...(u.tags ? { tags: [...u.tags] } : {}),
      ...(Object.keys(u.vars).length ? { vars: plain(u.vars) } : {}),
    })),
  } });
  files.set(`${base}/meta/argument_specs.yml`, { yaml: {
    argument_specs: {
      main: {
        short_description: def.description,
        options: Object.fromEntries(Object.entries(def.vars).map(([k, v]) => [k, {
          type: v.type,
          required: false,
          description: v.description,
          default: defaults[k],
          ...(v.choices ? { choices: [...v.choices] } : {}),
          ...(v.elements ? { elements: v.elements } : {}),
          ...(v.secret ? { no_log: true } : {}),
        }])),
      },
    },
  } });
  files.set(`${base}/README.md`, renderRoleReadme(def, defaults));
  return files;
}
