// Work a project defines that nothing runs: a handler that no task (or handler) notifies, by name or
// by a topic it listens to, and a task file that no task includes (include_tasks/import_tasks in the
// role, tasks_from anywhere). Ansible says nothing of either: the change they carry never happens.
// Checked over the whole emitted project, since a play or another role may notify a role's handler
// or include its task file; only for roles in the house style (an imported role may offer handlers
// and task files to playbooks that are not in this project).
import type { Problems } from '../errors.js';

const INCLUDE_TASKS = new Set([
  'include_tasks',
  'import_tasks',
  'ansible.builtin.include_tasks',
  'ansible.builtin.import_tasks',
]);
const INCLUDE_ROLE = new Set([
  'include_role',
  'import_role',
  'ansible.builtin.include_role',
  'ansible.builtin.import_role',
]);

interface Uses {
  notified: Set<string>;
  /** Task files by role ('ntp/install'), or the role alone ('ntp/*') when a name is templated. */
  included: Set<string>;
  /** A templated notify: any handler may be meant. */
  templatedNotify: boolean;
}

const fileStem = (f: string) => f.replace(/^.*\//, '').replace(/\.ya?ml$/, '');

/** Collects notify names and included task files from emitted task lists (role is the file's own role, if any). */
function collect(doc: unknown, role: string | undefined, into: Uses): void {
  if (Array.isArray(doc)) {
    for (const x of doc) collect(x, role, into);
    return;
  }
  if (!doc || typeof doc !== 'object') return;
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'notify')
      for (const n of Array.isArray(v) ? v : [v])
        if (typeof n === 'string') {
          if (n.includes('{{')) into.templatedNotify = true;
          into.notified.add(n);
        }
    if (INCLUDE_TASKS.has(k) && role) {
      const file = typeof v === 'string' ? v : (v as { file?: unknown } | null)?.file;
      if (typeof file === 'string') into.included.add(`${role}/${file.includes('{{') ? '*' : fileStem(file)}`);
    }
    if (INCLUDE_ROLE.has(k) && v && typeof v === 'object') {
      const { name, tasks_from } = v as { name?: unknown; tasks_from?: unknown };
      if (typeof name === 'string' && typeof tasks_from === 'string')
        into.included.add(`${name.replace(/^.*\./, '')}/${tasks_from.includes('{{') ? '*' : fileStem(tasks_from)}`);
    }
    collect(v, role, into);
  }
}

export interface RoleHandlers {
  name: string;
  file: string;
  handlers: readonly { name?: string; listen?: string | readonly string[] }[];
  taskFiles: readonly string[];
}

export function checkComposition(
  emitted: ReadonlyMap<string, unknown>,
  houseRoles: readonly RoleHandlers[],
  problems: Problems,
): void {
  const uses: Uses = { notified: new Set(), included: new Set(), templatedNotify: false };
  for (const [p, doc] of emitted) collect(doc, /^roles\/([^/]+)\//.exec(p)?.[1], uses);
  for (const role of houseRoles) {
    if (!uses.templatedNotify)
      role.handlers.forEach((h, i) => {
        const topics = h.listen === undefined ? [] : typeof h.listen === 'string' ? [h.listen] : [...h.listen];
        const names = [h.name, h.name && `${role.name} : ${h.name}`, ...topics].filter((n): n is string => !!n);
        if (!names.some((n) => uses.notified.has(n)))
          problems.add(
            role.file,
            `handlers[${i}] '${h.name ?? ''}'`,
            `no task notifies this handler${topics.length ? ' or the topics it listens to' : ''}: it never runs; notify it from the task whose change needs it, or remove it`,
          );
      });
    if (uses.included.has(`${role.name}/*`)) continue;
    for (const f of role.taskFiles)
      if (!uses.included.has(`${role.name}/${f}`))
        problems.add(
          role.file,
          `taskFiles.${f}`,
          `no task includes tasks/${f}.yml (include_tasks or import_tasks here, tasks_from elsewhere): its tasks never run; include it or remove it`,
        );
  }
}
