// Task files, variable files and roles that a task includes or imports must exist: a missing one
// would fail only on a host, when the play reaches the include. Jinja-named files (one per OS
// family, say) are left to run time.
import type { Handler, TaskItem } from '../../dsl/task.js';
import { eachTask } from './tasks.js';
import { scanTemplate } from '../jinja-refs.js';
import { isFactName } from './facts.js';

/** Variables that exist per host only, once the play runs. */
const HOST_VARIABLES = new Set(['hostvars', 'inventory_hostname', 'inventory_hostname_short', 'group_names']);

type Report = (field: string, message: string) => void;

export interface RoleFileNames {
  /** Task files by name with .yml, 'main.yml' included. */
  tasks: ReadonlySet<string>;
  /** Variable files by name with .yml. */
  vars: ReadonlySet<string>;
}

export interface IncludeTargets {
  /** The role holding the tasks (undefined for a playbook's own tasks). */
  own?: RoleFileNames;
  roles: ReadonlyMap<string, RoleFileNames>;
}

const have = (s: ReadonlySet<string>) => [...s].sort().join(', ') || 'none';
const literal = (v: unknown): v is string => typeof v === 'string' && !v.includes('{{');
const yml = (f: string) => (f.endsWith('.yml') || f.endsWith('.yaml') ? f : `${f}.yml`);

export function checkIncludes(
  items: readonly (TaskItem | Handler)[],
  field: string,
  targets: IncludeTargets,
  report: Report,
): void {
  items.forEach((t, i) => {
    const here = `${field}[${i}] '${t.name}'`;
    if (t.kind === 'block') {
      for (const k of ['block', 'rescue', 'always'] as const)
        checkIncludes(t[k] ?? [], `${here}.${k}`, targets, report);
      return;
    }
    const fqcn = t.call.spec.fqcn;
    const args = typeof t.call.args === 'string' ? { file: t.call.args } : t.call.args;
    const at = `${here}.${fqcn}`;
    if (fqcn === 'ansible.builtin.import_tasks' || fqcn === 'ansible.builtin.import_role') {
      if (t.kind === 'task' && t.loop !== undefined)
        report(
          `${here}.loop`,
          `${fqcn} is resolved when the play is parsed and cannot loop; use ${fqcn.replace('import_', 'include_')}`,
        );
      // Read when the play is parsed: no host's facts or variables exist yet.
      const key = fqcn === 'ansible.builtin.import_role' ? 'name' : args.file !== undefined ? 'file' : 'free-form';
      const named = args[key];
      const hostOnly =
        typeof named === 'string'
          ? [...scanTemplate(named).reads].filter((n) => isFactName(n) || HOST_VARIABLES.has(n))
          : [];
      if (hostOnly.length)
        report(
          `${at}.${key}`,
          `${fqcn} is read when the play is parsed, before any host's facts or variables exist: '${named as string}' reads ${hostOnly.join(', ')}; use ${fqcn.replace('import_', 'include_')}`,
        );
    }
    if (fqcn === 'ansible.builtin.include_tasks' || fqcn === 'ansible.builtin.import_tasks') {
      const file = args.file ?? args['free-form'];
      if (!targets.own) return;
      // Ansible looks in the role's tasks/ and then the role folder: `tasks/x.yml` is x.yml too.
      if (literal(file) && !targets.own.tasks.has(file.replace(/^tasks\//, '')))
        report(
          `${at}.file`,
          `task file '${file}' is not among the role's task files (have: ${have(targets.own.tasks)}); declare it in taskFiles`,
        );
    }
    if (fqcn === 'ansible.builtin.include_vars' && targets.own) {
      const file = args.file ?? args['free-form'];
      if (literal(file) && !file.includes('/') && !targets.own.vars.has(file))
        report(
          `${at}.file`,
          `variable file '${file}' is not among the role's variable files (have: ${have(targets.own.vars)}); declare it in varsFiles`,
        );
    }
    if (fqcn === 'ansible.builtin.include_role' || fqcn === 'ansible.builtin.import_role') {
      if (!literal(args.name)) return;
      const role = targets.roles.get(args.name);
      if (!role) {
        report(
          `${at}.name`,
          `role '${args.name}' is not among the roles in roles-src/ (have: ${have(new Set(targets.roles.keys()))})`,
        );
        return;
      }
      if (literal(args.tasks_from) && !role.tasks.has(yml(args.tasks_from)))
        report(
          `${at}.tasks_from`,
          `role '${args.name}' has no task file '${args.tasks_from}' (have: ${have(role.tasks)})`,
        );
      if (literal(args.vars_from) && !role.vars.has(yml(args.vars_from)))
        report(
          `${at}.vars_from`,
          `role '${args.name}' has no variable file '${args.vars_from}' (have: ${have(role.vars)})`,
        );
    }
  });
}

/** The loop variable a looping task binds ('item' unless loop_control names another); none without a loop. */
function loopVar(t: TaskItem | Handler): string | undefined {
  if (t.kind !== 'task' || (t.loop === undefined && t.with === undefined)) return undefined;
  return t.loop_control?.loop_var ?? 'item';
}

/** Looping tasks of a list (blocks and included task files too) that bind `name`, by their names. */
function loopsBinding(
  items: readonly (TaskItem | Handler)[],
  name: string,
  taskFiles: ReadonlyMap<string, readonly TaskItem[]>,
  seen: Set<string>,
): string[] {
  return items.flatMap((t): string[] => {
    if (t.kind === 'block')
      return [t.block, t.rescue ?? [], t.always ?? []].flatMap((l) => loopsBinding(l, name, taskFiles, seen));
    const own = loopVar(t) === name ? [`'${t.name}'`] : [];
    const file =
      t.call.spec.fqcn.endsWith('include_tasks') || t.call.spec.fqcn.endsWith('import_tasks')
        ? includedName(t)
        : undefined;
    const inner = file && !seen.has(file) && taskFiles.get(file);
    return inner ? [...own, ...loopsBinding(inner, name, taskFiles, new Set([...seen, file]))] : own;
  });
}

function includedName(t: TaskItem | Handler): string | undefined {
  if (t.kind === 'block') return undefined;
  const args = typeof t.call.args === 'string' ? { file: t.call.args } : t.call.args;
  const file = args.file ?? args['free-form'];
  return literal(file) ? yml(file.replace(/^tasks\//, '')) : undefined;
}

/**
 * An include in a loop whose task file loops over the same loop variable (both `item` by
 * default): the inner loop replaces the outer value for the rest of each pass (Ansible only warns).
 */
export function checkNestedLoopVars(
  items: readonly (TaskItem | Handler)[],
  field: string,
  taskFiles: ReadonlyMap<string, readonly TaskItem[]>,
  report: Report,
): void {
  eachTask(items, field, (t, here) => {
    const name = loopVar(t);
    const file = name && t.call.spec.fqcn.endsWith('include_tasks') ? includedName(t) : undefined;
    const inner = file ? taskFiles.get(file) : undefined;
    if (!name || !file || !inner) return;
    const clashing = loopsBinding(inner, name, taskFiles, new Set([file]));
    if (clashing.length)
      report(
        `${here}.loop_control`,
        `loops over '${name}' and includes ${file}, whose ${clashing.join(', ')} loop${clashing.length > 1 ? '' : 's'} over '${name}' too: the inner loop replaces the outer value for the rest of each pass; give one of them loop_control.loop_var`,
      );
  });
}
