// The modules an imported role calls, resolved as Ansible resolves them: a name dsl/modules/
// types is used as it is; any other name is asked of the installed Ansible (`ansible-doc`, which
// follows short names and collection redirects to a fully qualified name). A name Ansible does not
// know is refused with the task that uses it, before anything is written.
import { execa } from 'execa';
import path from 'node:path';
import { ansibleTool, PROJECT_ROOT } from '../../lib/python-env.js';
import { generateModules } from '../generate/modules.js';
import { moduleList, typedModules } from '../module-names.js';
import { ImportError, type RoleFolder } from './read-role.js';
import { taskModule } from './to-dsl.js';

export interface ModuleUse {
  module: string;
  /** Where the task is, as the import's notes name it: tasks/main.yml[2].block[0], handlers[1]. */
  where: string;
  task: string;
}

/** Every module call of the role's task files and handlers, blocks included. */
export function moduleUses(role: RoleFolder): ModuleUse[] {
  const out: ModuleUse[] = [];
  const walk = (items: unknown, where: string) => {
    if (!Array.isArray(items)) return;
    items.forEach((raw, i) => {
      if (!raw || typeof raw !== 'object') return;
      const t = raw as Record<string, unknown>;
      const here = `${where}[${String(i)}]`;
      if (Array.isArray(t.block)) {
        for (const k of ['block', 'rescue', 'always']) walk(t[k], `${here}.${k}`);
        return;
      }
      const found = taskModule(t);
      if (found)
        out.push({ module: found.module, where: here, task: typeof t.name === 'string' ? t.name : '(unnamed)' });
    });
  };
  for (const [file, items] of Object.entries(role.tasks)) walk(items, `tasks/${file}.yml`);
  walk(role.handlers, 'handlers');
  return out;
}

/** A module option as its documentation types it (what the import needs to read values as Ansible does). */
export interface DocOptionType {
  type?: string;
  elements?: string;
  aliases?: string[];
  suboptions?: Record<string, DocOptionType>;
}

interface Resolution {
  fqcn: string | null;
  collection: string | null;
  installed: boolean;
  options: Record<string, DocOptionType> | null;
}

/**
 * Fully qualified names of the modules `uses` call, by the name each task writes, resolved by
 * Ansible's own plugin loader (resolve-modules.py). A module of a collection that is not installed
 * maps to its own name and is listed in `missingCollections`: it stays an untyped call.
 */
export async function resolveModules(
  uses: readonly ModuleUse[],
  own: ReadonlySet<string> = new Set(),
): Promise<{
  resolved: Map<string, string>;
  missingCollections: Map<string, string[]>;
  options: Map<string, Record<string, DocOptionType>>;
}> {
  const resolved = new Map<string, string>();
  // A module the role carries in library/ is found there first, as Ansible finds it: kept untyped.
  for (const u of uses) if (own.has(u.module)) resolved.set(u.module, u.module);
  const names = [...new Set(uses.map((u) => u.module))].filter((n) => !own.has(n)).sort();
  const missingCollections = new Map<string, string[]>();
  const options = new Map<string, Record<string, DocOptionType>>();
  if (!names.length) return { resolved, missingCollections, options };
  const r = await execa(ansibleTool('python'), [path.join(PROJECT_ROOT, 'compiler', 'import', 'resolve-modules.py')], {
    input: JSON.stringify(names),
    reject: false,
  });
  if (r.exitCode !== 0)
    throw new ImportError(`resolving module names failed: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  const found = JSON.parse(r.stdout) as Record<string, Resolution>;
  for (const name of names) {
    const f = found[name];
    if (f?.fqcn) {
      resolved.set(name, f.fqcn);
      if (f.options) options.set(name, f.options);
    } else if (f?.collection && !f.installed) {
      resolved.set(name, name);
      missingCollections.set(f.collection, [...(missingCollections.get(f.collection) ?? []), name]);
    }
  }
  const unknown = uses.filter((u) => !resolved.has(u.module));
  if (unknown.length)
    throw new ImportError(
      unknown
        .map(
          (u) =>
            `${u.where} '${u.task}': unknown module '${u.module}': the installed Ansible has no such module (correct the name, or install the collection that provides it)`,
        )
        .join('\n'),
    );
  return { resolved, missingCollections, options };
}

export interface ModulesForImport {
  /** Module name as a task may write it -> its DSL function. */
  typed: Map<string, string>;
  /** Names dsl/modules/ did not type -> their fully qualified name. */
  resolved: Map<string, string>;
  /** Modules whose types were generated into dsl/modules/ for this import. */
  generated: string[];
  /** Collections that are not installed -> the module names the role calls from each (kept untyped). */
  missingCollections: Map<string, string[]>;
  /** Module name as a task writes it -> its options, as its documentation types them. */
  options: Map<string, Record<string, DocOptionType>>;
  /** Names no types can come from: the role's own modules and those of collections not installed. */
  untypeable: Set<string>;
}

/** Resolves the modules the tasks call and, unless `generate` is false, types those dsl/modules/ lacks. */
export async function modulesFor(root: string, tasks: RoleFolder, generate: boolean): Promise<ModulesForImport> {
  const own = new Set((tasks.plugins?.library ?? []).map((f) => f.replace(/\.(py|ps1|sh)$/, '')));
  const { resolved, missingCollections, options } = await resolveModules(moduleUses(tasks), own);
  const typed = typedModules(root);
  const listed = new Set(moduleList(root));
  const missing = new Set([...[...missingCollections.values()].flat(), ...own]);
  const generated = generate
    ? [...new Set(resolved.values())].filter((m) => !listed.has(m) && !typed.has(m) && !missing.has(m)).sort()
    : [];
  if (generated.length) await generateModules(root, generated);
  return { typed: typedModules(root), resolved, generated, missingCollections, options, untypeable: missing };
}

/** The free-form argument strings of the role's tasks and handlers, with the module each calls. */
function freeFormUses(role: RoleFolder): [string, string][] {
  const out = new Map<string, [string, string]>();
  const walk = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const raw of items) {
      if (!raw || typeof raw !== 'object') continue;
      const t = raw as Record<string, unknown>;
      if (Array.isArray(t.block)) {
        for (const k of ['block', 'rescue', 'always']) walk(t[k]);
        continue;
      }
      const found = taskModule(t);
      if (found && typeof found.value === 'string')
        out.set(`${found.module}\0${found.value}`, [found.module, found.value]);
    }
  };
  for (const items of Object.values(role.tasks)) walk(items);
  walk(role.handlers);
  return [...out.values()];
}

/**
 * Each free-form argument string as Ansible reads it (free-form-args.py: ansible-core's
 * ModuleArgsParser), by `module\0text`: `command: x creates=/y` is { _raw_params: 'x', creates: '/y' }.
 */
export async function freeFormArgs(role: RoleFolder): Promise<Map<string, Record<string, unknown>>> {
  const uses = freeFormUses(role);
  if (!uses.length) return new Map();
  const r = await execa(ansibleTool('python'), [path.join(PROJECT_ROOT, 'compiler', 'import', 'free-form-args.py')], {
    input: JSON.stringify(uses),
    reject: false,
    timeout: 120_000,
  });
  if (r.exitCode !== 0)
    throw new ImportError(
      `reading free-form arguments with ansible-core failed: ${r.stderr.split('\n').slice(-3).join(' ')}`,
    );
  const parsed = JSON.parse(r.stdout) as Record<string, unknown>[];
  return new Map(uses.map(([m, text], i) => [`${m}\0${text}`, parsed[i]!]));
}
