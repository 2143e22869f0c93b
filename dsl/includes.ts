// Task files, roles and variable files run from a task: include_tasks/import_tasks (a role's
// `taskFiles`), include_role/import_role (a role object, so a rename is a type error) and
// include_vars (a role's `varsFiles`, e.g. one per OS family). The build checks that each named
// file exists in the role that is meant to hold it.
import type { AnyRole } from './role.js';
import { task, type Task, type TaskOptions } from './task.js';
import { import_roleSpec } from './modules/import_role.generated.js';
import { import_tasksSpec } from './modules/import_tasks.generated.js';
import { include_roleSpec } from './modules/include_role.generated.js';
import { include_tasksSpec } from './modules/include_tasks.generated.js';
import { include_varsSpec } from './modules/include_vars.generated.js';
import { moduleCall } from './module.js';

/** A task file is named without `.yml`, as in `taskFiles` ('install'), or by a Jinja expression. */
const yml = (file: string) => (file.includes('{{') || file.endsWith('.yml') ? file : `${file}.yml`);

/** Runs tasks/<file>.yml when this task is reached (loops and conditions apply to the include). */
export function includeTasks(
  name: string,
  file: string,
  options: TaskOptions = {},
  /** Keywords for every included task (`{ tags: [...] }`: the include's own tags select only the include). */
  apply?: Readonly<Record<string, unknown>>,
): Task {
  return task(name, moduleCall(include_tasksSpec, { file: yml(file), ...(apply ? { apply } : {}) }), options);
}

/** Inlines tasks/<file>.yml when the play is parsed: conditions apply to each imported task; no loops. */
export function importTasks(
  name: string,
  file: string,
  options: Omit<TaskOptions, 'loop' | 'loop_control'> = {},
): Task {
  return task(name, moduleCall(import_tasksSpec, { file: yml(file) }), options);
}

export interface RoleFiles {
  tasks_from?: string;
  vars_from?: string;
  defaults_from?: string;
  handlers_from?: string;
}

/** Runs another role (or one of its task files) from a task. */
export function includeRole(
  name: string,
  role: AnyRole | { name: string },
  files: RoleFiles & { public?: boolean } = {},
  options: TaskOptions = {},
): Task {
  return task(name, moduleCall(include_roleSpec, { name: role.name, ...files }), options);
}

export function importRole(
  name: string,
  role: AnyRole | { name: string },
  files: RoleFiles = {},
  options: Omit<TaskOptions, 'loop' | 'loop_control'> = {},
): Task {
  return task(name, moduleCall(import_roleSpec, { name: role.name, ...files }), options);
}

/** Loads vars/<file>.yml of the role (from `varsFiles`), e.g. `'{{ ansible_facts.os_family }}'`. */
export function includeVars(name: string, file: string, options: TaskOptions = {}): Task {
  return task(name, moduleCall(include_varsSpec, { file: yml(file) }), options);
}
