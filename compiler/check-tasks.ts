// Mistakes in a list of tasks that Ansible would accept silently or reject only on a host:
// duplicate task and handler names, empty blocks, names Ansible reserves used for variables,
// conditions written as templates, and file modes that are not octal strings.
import fs from 'node:fs';
import path from 'node:path';
import type { Condition } from '../dsl/jinja.js';
import type { Handler, TaskItem } from '../dsl/task.js';
import { CONDITION_KEYS, MAGIC_VARIABLES } from './jinja-refs.js';
import { PROJECT_ROOT } from '../lib/python-env.js';
import { isExpr } from './values.js';

type Report = (field: string, message: string) => void;

const RESERVED = new Set<string>([
  ...(
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'compiler', 'reserved-names.generated.json'), 'utf8')) as {
      names: string[];
    }
  ).names,
  ...MAGIC_VARIABLES,
]);

/** Why `name` cannot name a variable, register or fact; undefined when it can. */
export function reservedNameProblem(name: string): string | undefined {
  if (RESERVED.has(name))
    return `'${name}' is a name Ansible reserves (a keyword or magic variable): a variable by that name is ignored or breaks templating; choose another name`;
  if (name.startsWith('ansible_') && !name.startsWith('ansible_facts_'))
    return `'${name}': names starting with ansible_ are Ansible's connection and fact variables; choose another name`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    return `'${name}' is not a valid variable name (lower-case letters, digits and underscores, not starting with a digit)`;
  return undefined;
}

/** A file mode as Ansible wants it: a quoted octal string ('0644'), a symbolic mode or 'preserve'. */
export function modeProblem(mode: unknown): string | undefined {
  if (typeof mode === 'number') {
    return `mode ${mode} is a number: YAML reads it as decimal (${mode} = 0o${mode.toString(8)}); write the octal string '0${String(mode).padStart(3, '0')}'`;
  }
  if (typeof mode !== 'string' || mode.includes('{{') || mode === 'preserve') return undefined;
  if (/^0?[0-7]{3,4}$/.test(mode)) return undefined;
  if (/^([ugoa]*[-+=]([rwxXst]*|[ugo]))+(,([ugoa]*[-+=]([rwxXst]*|[ugo]))+)*$/.test(mode)) return undefined;
  return `mode '${mode}' is neither an octal mode ('0644', digits 0-7) nor a symbolic one ('u=rw,g=r,o=r')`;
}

function conditionStrings(c: Condition | readonly Condition[] | undefined): string[] {
  if (c === undefined) return [];
  const all = Array.isArray(c) ? (c as readonly Condition[]) : [c as Condition];
  return all.map((x) => (isExpr(x) ? x.expr : typeof x === 'string' ? x : '')).filter(Boolean);
}

export function checkTaskList(
  items: readonly (TaskItem | Handler)[],
  field: string,
  report: Report,
  seen = new Map<string, string>(),
): void {
  items.forEach((t, i) => {
    const here = `${field}[${i}] '${t.name}'`;
    if (t.name) {
      const first = seen.get(t.name);
      if (first) {
        report(
          here,
          t.kind === 'handler'
            ? `handler name '${t.name}' is used twice (also ${first}): Ansible runs only the first handler of a name`
            : `task name '${t.name}' is used twice in this list (also ${first}): names must be unique, they are how a run reports progress and how --start-at-task finds a task`,
        );
      } else seen.set(t.name, `${field}[${i}]`);
    }
    for (const key of CONDITION_KEYS) {
      for (const c of conditionStrings(
        (t as unknown as Record<string, Condition | readonly Condition[] | undefined>)[key],
      )) {
        if (c.includes('{{') || c.includes('{%')) {
          report(
            `${here}.${key}`,
            `a condition is a bare Jinja expression, not a template: write x == 'y', not {{ x }} == 'y' (ansible-core 2.19 refuses templates in conditions): got "${c}"`,
          );
        }
      }
    }
    if (t.kind === 'block') {
      if (!t.block.length) report(`${here}.block`, 'an empty block: give it tasks or remove it');
      checkTaskList(t.block, `${here}.block`, report, seen);
      checkTaskList(t.rescue ?? [], `${here}.rescue`, report, seen);
      checkTaskList(t.always ?? [], `${here}.always`, report, seen);
      return;
    }
    if (t.register) {
      const p = reservedNameProblem(t.register);
      if (p) report(`${here}.register`, p);
    }
    for (const k of Object.keys(t.vars ?? {})) {
      const p = reservedNameProblem(k);
      if (p) report(`${here}.vars.${k}`, p);
    }
    if (t.kind === 'task' && t.loop_control?.loop_var) {
      const p = reservedNameProblem(t.loop_control.loop_var);
      if (p) report(`${here}.loop_control.loop_var`, p);
    }
    const args = t.call.args;
    if (typeof args === 'string') return;
    if (t.call.spec.fqcn === 'ansible.builtin.set_fact') {
      for (const k of Object.keys(args)) {
        if (k === 'cacheable') continue;
        const p = reservedNameProblem(k);
        if (p) report(`${here}.${t.call.spec.fqcn}.${k}`, p);
      }
    }
    if ('mode' in t.call.spec.options && args.mode !== undefined) {
      const p = modeProblem(args.mode);
      if (p) report(`${here}.${t.call.spec.fqcn}.mode`, p);
    }
  });
}
