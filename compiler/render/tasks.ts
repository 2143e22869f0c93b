// Renders tasks, blocks and handlers to Ansible's YAML shape, checking as it goes: module
// arguments, notified handlers, and every variable a Jinja string reads.
import { CHECK_MODE_NOTE } from '../check/check-mode.js';
import type { Condition } from '../../dsl/jinja.js';
import { BLOCK_KEYWORDS, TASK_KEYWORDS, type Handler, type LookupLoop, type TaskItem } from '../../dsl/task.js';
import { checkModuleArgs } from '../check/args.js';
import { checkKeys } from '../check/keys.js';
import type { Problems } from '../errors.js';
import { CONDITION_KEYS, isMagic, scanExpression, scanTemplate, undeclaredMessage } from '../jinja-refs.js';
import { isExpr, plain, strings } from '../values.js';
import { annotate, spaced } from '../../lib/yaml-notes.js';

export interface Scope {
  file: string;
  problems: Problems;
  /** Variables the tasks may read (role variables, inventory variables, registered results...). */
  known: ReadonlySet<string>;
  /** Where a variable the tasks read would be declared, for the error message. */
  knownFrom: string;
  /**
   * A role's templates by name and the names its tasks register anywhere: a template rendered
   * before the task that registers what it reads gets an undefined variable.
   */
  templates?: { text: ReadonlyMap<string, string>; registered: ReadonlySet<string> };
  handlers: ReadonlySet<string>;
  /** What a role's task files and variable files bind, for the tasks that include them. */
  bindings?: Bindings;
  /** The house style: every task named, with a capital letter (false for an imported role's own style). */
  houseStyle?: boolean;
  /** In rescue and always: results the block registers that may be undefined there (their task may not have run). */
  unsure?: ReadonlySet<string>;
}

export interface Bindings {
  /** A role's further task files by file name ('install.yml'). */
  taskFiles: ReadonlyMap<string, readonly TaskItem[]>;
  /** The names each of a role's variable files provides, by file name ('Debian.yml'). */
  varsFiles: ReadonlyMap<string, readonly string[]>;
}

const INCLUDE_TASKS = new Set(['ansible.builtin.include_tasks', 'ansible.builtin.import_tasks']);
const INCLUDE_VARS = new Set(['ansible.builtin.include_vars']);

/** The file an include names, when it is a literal (not a Jinja expression). */
export function includedFile(t: TaskItem | Handler, modules: ReadonlySet<string>): string | undefined {
  if (t.kind === 'block' || !modules.has(t.call.spec.fqcn)) return undefined;
  const args = t.call.args;
  const file = typeof args === 'string' ? args : (args.file ?? args['free-form']);
  if (typeof file !== 'string') return undefined;
  // Ansible looks in the role's tasks/ (vars/) first, then the role folder: `tasks/x.yml` is x.yml.
  return INCLUDE_TASKS.has(t.call.spec.fqcn) ? file.replace(/^tasks\//, '') : file.replace(/^vars\//, '');
}

/** A condition as YAML has it: a typed `cond` becomes its expression, a list stays a list. */
export function conditionValue(c: Condition | readonly Condition[]): unknown {
  const one = (x: Condition) => (isExpr(x) ? x.expr : x);
  return Array.isArray(c) ? c.map(one) : one(c as Condition);
}

/**
 * Names a list of tasks binds for the tasks after it: registered results, facts, and what an
 * included task file or variable file binds.
 */
export function boundNames(
  items: readonly (TaskItem | Handler)[],
  into = new Set<string>(),
  bindings?: Bindings,
  visiting = new Set<string>(),
): Set<string> {
  for (const t of items) {
    if (t.kind === 'block') {
      for (const list of [t.block, t.rescue ?? [], t.always ?? []]) boundNames(list, into, bindings, visiting);
      continue;
    }
    if (t.register) into.add(t.register);
    const taskFile = includedFile(t, INCLUDE_TASKS);
    const included = taskFile !== undefined ? bindings?.taskFiles.get(taskFile) : undefined;
    if (included && !visiting.has(taskFile!)) boundNames(included, into, bindings, new Set([...visiting, taskFile!]));
    // include_vars with `name:` binds the whole file under that one name.
    const varsName = typeof t.call.args === 'object' ? t.call.args.name : undefined;
    if (INCLUDE_VARS.has(t.call.spec.fqcn) && typeof varsName === 'string') into.add(varsName);
    else if (INCLUDE_VARS.has(t.call.spec.fqcn) && bindings) {
      const file = includedFile(t, INCLUDE_VARS);
      // A templated name (one file per OS) may load any of the role's variable files.
      const names =
        file && !file.includes('{{') ? (bindings.varsFiles.get(file) ?? []) : [...bindings.varsFiles.values()].flat();
      for (const n of names) into.add(n);
    }
    if (t.call.spec.fqcn === 'ansible.builtin.set_fact' && typeof t.call.args !== 'string') {
      for (const k of Object.keys(t.call.args)) if (k !== 'cacheable' && !k.includes('{{')) into.add(k);
      // `"{{ item.key }}": "{{ item.value }}"` over a variable file's entries (OS-specific values
      // set as facts): any name of the role's variable files may be bound from here on.
      if (bindings && Object.keys(t.call.args).some((k) => k.includes('{{')))
        for (const n of [...bindings.varsFiles.values()].flat()) into.add(n);
    }
  }
  return into;
}

/** Names a task (a block: each of its tasks) registers. */
function registeredNames(t: TaskItem | Handler): Set<string> {
  if (t.kind !== 'block') return new Set(t.register ? [t.register] : []);
  return new Set([...t.block, ...(t.rescue ?? []), ...(t.always ?? [])].flatMap((x) => [...registeredNames(x)]));
}

function checkJinja(scope: Scope, field: string, text: string, bare: boolean): void {
  const scan = bare ? scanExpression(text) : scanTemplate(text);
  for (const name of scan.reads)
    if (scope.unsure?.has(name) && !scan.guarded?.has(name) && !scan.binds.has(name))
      scope.problems.add(
        scope.file,
        field,
        `reads '${name}', which a task of the block registers after its first: in rescue and always it is undefined when an earlier task failed; guard it (${name} is defined, ${name} | default(...)) or register it in the block's first task`,
      );
  for (const name of scan.reads) {
    if (scan.binds.has(name) || scope.known.has(name) || isMagic(name)) continue;
    // An imported role may test for a variable it never declares (`when: x is defined`).
    if (scope.houseStyle === false && scan.guarded?.has(name)) continue;
    scope.problems.add(scope.file, field, undeclaredMessage(name, scope.known, scope.knownFrom));
  }
}

/**
 * What a task may notify: each handler by its name, by `role : name` when it is a role's, and by
 * its `listen` topics.
 */
export function notifiable(handlers: readonly Handler[], role?: string): Set<string> {
  const out = new Set<string>();
  for (const h of handlers) {
    out.add(h.name);
    if (role) out.add(`${role} : ${h.name}`);
    for (const topic of typeof h.listen === 'string' ? [h.listen] : (h.listen ?? [])) out.add(topic);
  }
  return out;
}

/** Writes `t`'s keywords into `out` in the listed order, checking what each notifies. */
function renderKeywords(
  scope: Scope,
  t: TaskItem | Handler,
  keys: readonly string[],
  out: Record<string, unknown>,
  label: string,
): void {
  for (const k of keys) {
    const v = (t as unknown as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (k === 'with') {
      const w = v as LookupLoop;
      out[`with_${w.lookup}`] = plain(w.terms);
    } else if (CONDITION_KEYS.has(k)) out[k] = conditionValue(v as Condition);
    else if (k === 'notify') out[k] = (v as (Handler | string)[]).map((h) => (typeof h === 'string' ? h : h.name));
    else out[k] = plain(v);
  }
  for (const h of (out.notify as string[] | undefined) ?? []) {
    // A templated name is decided at run time; a role-qualified one may name another role's handler.
    if (!scope.handlers.has(h) && !h.includes('{{') && !/^[\w.]+ : /.test(h)) {
      scope.problems.add(
        scope.file,
        `${label}.notify`,
        `notifies handler '${h}', which is not defined (handlers: ${[...scope.handlers].filter((n) => !n.includes(' : ')).join(', ') || 'none'})`,
      );
    }
  }
}

/**
 * What a task's `when` guards (`x is defined`, `x | default(...)`: where x is undefined the task
 * does not run), which Ansible evaluates first, so the guard covers the task's every other field
 * and, on a block, every task in it: a result rescue/always may lack is sure there; and for an
 * imported role, an undeclared variable (a caller's input) and a block's own `vars` are known.
 */
function guardedScope(scope: Scope, t: TaskItem | Handler): Scope {
  const guarded = new Set<string>();
  const when = (t as { when?: Condition | readonly Condition[] }).when;
  if (when !== undefined) {
    const value = conditionValue(when);
    for (const c of Array.isArray(value) ? value : [value])
      if (typeof c === 'string') for (const n of scanExpression(c).guarded ?? []) guarded.add(n);
  }
  // A guarded result is sure wherever the guard holds (any role's style).
  const unsure =
    scope.unsure && guarded.size ? new Set([...scope.unsure].filter((n) => !guarded.has(n))) : scope.unsure;
  if (scope.houseStyle !== false) return unsure === scope.unsure ? scope : { ...scope, unsure };
  const names = new Set([...guarded, ...(t.kind === 'block' ? Object.keys((t as { vars?: object }).vars ?? {}) : [])]);
  return names.size ? { ...scope, unsure, known: new Set([...scope.known, ...names]) } : { ...scope, unsure };
}

function renderOne(outer: Scope, t: TaskItem | Handler, field: string): Record<string, unknown> {
  const scope = guardedScope(outer, t);
  const label = `${field} '${t.name}'`;
  const house = scope.houseStyle !== false;
  if (!t.name?.trim()) {
    if (house || (t.kind === 'handler' && !t.listen))
      scope.problems.add(scope.file, `${field} ''`, 'every task needs a name (it is how a run reports progress)');
  } else if (house && !/^[A-Z0-9]/.test(t.name))
    scope.problems.add(
      scope.file,
      `${label}.name`,
      'names start with an upper-case letter (ansible-lint name[casing])',
    );
  checkKeys(t.kind, t, label, (f, m) => {
    scope.problems.add(scope.file, f, m);
  });
  const out: Record<string, unknown> = t.name ? { name: t.name } : {};
  if (t.kind === 'block') {
    // ansible-lint's key-order: name, when and the other keywords, then block, rescue, always.
    renderKeywords(scope, t, BLOCK_KEYWORDS, out, label);
    out.block = renderTasks(scope, t.block, `${label}.block`);
    // rescue and always run after (part of) the block: a result a task after the first registers
    // is undefined there when an earlier task failed (a failed or skipped task registers its own).
    const afterBlock = {
      ...scope,
      known: boundNames(t.block, new Set(scope.known), scope.bindings),
      unsure: new Set([
        ...(scope.unsure ?? []),
        ...t.block.slice(1).flatMap((x) => [...registeredNames(x)].filter((n) => !scope.known.has(n))),
      ]),
    };
    if (t.rescue) out.rescue = renderTasks(afterBlock, t.rescue, `${label}.rescue`);
    if (t.always)
      out.always = renderTasks(
        { ...afterBlock, known: boundNames(t.rescue ?? [], new Set(afterBlock.known), scope.bindings) },
        t.always,
        `${label}.always`,
      );
  } else {
    if (typeof t.call.args !== 'string')
      checkModuleArgs(t.call.spec, t.call.args, `${label}.${t.call.spec.fqcn}`, (f, m) => {
        scope.problems.add(scope.file, f, m);
      });
    out[t.call.spec.fqcn] = plain(t.call.args);
    renderKeywords(scope, t, TASK_KEYWORDS, out, label);
  }
  // An imported role's comments keep their lines (a second import reads the same); the house's wrap.
  const inCheckMode = t.kind === 'task' && t.inCheckMode?.trim() ? `${CHECK_MODE_NOTE} ${t.inCheckMode.trim()}` : '';
  const comment = [t.comment?.trim(), inCheckMode].filter(Boolean).join('\n');
  if (comment)
    annotate(out, {
      commentBefore: comment,
      ...(scope.houseStyle === false ? { commentAsWritten: true } : {}),
    });
  const noqa = t.kind === 'block' ? undefined : t.noqa;
  if (noqa?.length) {
    for (const rule of noqa)
      if (!/^[a-z][a-z0-9-]*(\[[a-z0-9-]+\])?$/.test(rule))
        scope.problems.add(
          scope.file,
          `${label}.noqa`,
          `'${rule}' is not an ansible-lint rule id (e.g. 'no-changed-when', 'command-instead-of-module', 'yaml[line-length]')`,
        );
    annotate(out, { nameComment: `noqa: ${noqa.join(' ')}` });
  }
  // Known to the task alone: its own `vars`, its loop variable (only while it loops) and its
  // registered result (read by until/changed_when/failed_when).
  const own =
    t.kind === 'block' ? [] : [...Object.keys(t.vars ?? {}), ...(t.register ? [t.register] : []), ...loopNames(t)];
  const taskScope = own.length ? { ...scope, known: new Set([...scope.known, ...own]) } : scope;
  for (const [path, s] of strings(out, '')) {
    if (path === 'name' || path.startsWith('block') || path.startsWith('rescue') || path.startsWith('always')) continue;
    const key = path.split(/[.[]/)[0]!;
    checkJinja(taskScope, `${label}.${path}`, s, CONDITION_KEYS.has(key));
  }
  if (t.kind !== 'block' && t.call.spec.fqcn === 'ansible.builtin.template') checkTemplateOrder(scope, t, label);
  return out;
}

/** A template reading a result that a later task registers (undefined when this task renders it). */
function checkTemplateOrder(scope: Scope, t: Exclude<TaskItem | Handler, { kind: 'block' }>, label: string): void {
  const src = typeof t.call.args === 'object' ? t.call.args.src : undefined;
  const text = typeof src === 'string' ? scope.templates?.text.get(src.replace(/^templates\//, '')) : undefined;
  if (text === undefined) return;
  const scan = scanTemplate(text);
  for (const n of scan.reads)
    if (scope.templates!.registered.has(n) && !scope.known.has(n) && !scan.binds.has(n) && !scan.guarded?.has(n))
      scope.problems.add(
        scope.file,
        `${label}.${t.call.spec.fqcn}.src`,
        `templates/${String(src)} reads '${n}', which a later task registers: it is undefined when this task renders the template; move the task after that one`,
      );
}

/** The loop variable (and index) a looping task defines for itself. */
function loopNames(t: TaskItem | Handler): string[] {
  if (t.kind === 'block' || (t.loop === undefined && t.with === undefined)) return [];
  return [t.loop_control?.loop_var ?? 'item', ...(t.loop_control?.index_var ? [t.loop_control.index_var] : [])];
}

/** Renders in order: a task reads what the tasks before it registered, as Ansible runs them. */
export function renderTasks(
  scope: Scope,
  items: readonly (TaskItem | Handler)[],
  field: string,
): Record<string, unknown>[] {
  let known = scope.known;
  return spaced(
    items.map((t, i) => {
      const out = renderOne({ ...scope, known }, t, `${field}[${i}]`);
      known = boundNames([t], new Set(known), scope.bindings);
      return out;
    }),
  );
}
