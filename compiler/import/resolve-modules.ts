// The modules an imported role calls, resolved as Ansible resolves them: a name dsl/modules/
// types is used as it is; any other name is asked of the installed Ansible (`ansible-doc`, which
// follows short names and collection redirects to a fully qualified name). A name Ansible does not
// know is refused with the task that uses it, before anything is written.
import { execa } from 'execa';
import { ansibleTool } from '../../lib/python-env.js';
import { generateModules } from '../generate-modules.js';
import { moduleList, typedModules } from '../module-names.js';
import { ImportError, type RoleFolder } from './read-role.js';
import { moduleKeys } from './to-dsl.js';

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
      const keys = moduleKeys(t);
      if (keys.length === 1)
        out.push({ module: keys[0]!, where: here, task: typeof t.name === 'string' ? t.name : '(unnamed)' });
    });
  };
  for (const [file, items] of Object.entries(role.tasks)) walk(items, `tasks/${file}.yml`);
  walk(role.handlers, 'handlers');
  return out;
}

/** Fully qualified names of the modules `uses` call, by the name each task writes. */
export async function resolveModules(uses: readonly ModuleUse[]): Promise<Map<string, string>> {
  const names = [...new Set(uses.map((u) => u.module))].sort();
  if (!names.length) return new Map();
  const r = await execa(ansibleTool('ansible-doc'), ['--json', '-t', 'module', ...names], { reject: false });
  if (r.exitCode !== 0) throw new ImportError(`ansible-doc failed: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  const docs = JSON.parse(r.stdout) as Record<string, { doc?: { collection?: string; module?: string } }>;
  const resolved = new Map<string, string>();
  for (const name of names) {
    const doc = docs[name]?.doc;
    if (doc?.collection && doc.module) resolved.set(name, `${doc.collection}.${doc.module}`);
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
  return resolved;
}

export interface ModulesForImport {
  /** Module name as a task may write it -> its DSL function. */
  typed: Map<string, string>;
  /** Names dsl/modules/ did not type -> their fully qualified name. */
  resolved: Map<string, string>;
  /** Modules whose types were generated into dsl/modules/ for this import. */
  generated: string[];
}

/** Resolves the modules the tasks call and, unless `generate` is false, types those dsl/modules/ lacks. */
export async function modulesFor(root: string, tasks: RoleFolder, generate: boolean): Promise<ModulesForImport> {
  const untyped = moduleUses(tasks).filter((u) => !typedModules(root).has(u.module));
  const resolved = untyped.length ? await resolveModules(untyped) : new Map<string, string>();
  const listed = new Set(moduleList(root));
  const generated = generate ? [...new Set(resolved.values())].filter((m) => !listed.has(m)).sort() : [];
  if (generated.length) await generateModules(root, generated);
  return { typed: typedModules(root), resolved, generated };
}
