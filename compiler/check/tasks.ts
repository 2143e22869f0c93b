// Mistakes in a list of tasks that Ansible would accept silently or reject only on a host:
// duplicate task and handler names, empty blocks, names Ansible reserves used for variables,
// conditions written as templates, and file modes that are not octal strings.
import fs from 'node:fs';
import path from 'node:path';
import type { Condition } from '../../dsl/jinja.js';
import type { Handler, TaskItem } from '../../dsl/task.js';
import { CONDITION_KEYS, MAGIC_VARIABLES } from '../jinja-refs.js';
import { PROJECT_ROOT } from '../../lib/python-env.js';
import { isExpr } from '../values.js';
import { closest } from '../../dsl/closest.js';

type Report = (field: string, message: string) => void;

const RESERVED = new Set<string>([
  ...(
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'compiler', 'reserved-names.generated.json'), 'utf8')) as {
      names: string[];
    }
  ).names,
  ...MAGIC_VARIABLES,
]);

/**
 * Why `name` cannot name a variable, register or fact; undefined when it can. A task's or play's
 * `vars` may set a connection variable (`ansible_ssh_pipelining: true` for one task): that is what
 * they are for (`connectionVars`).
 */
export function reservedNameProblem(name: string, connectionVars = false): string | undefined {
  if (RESERVED.has(name))
    return `'${name}' is a name Ansible reserves (a keyword or magic variable): a variable by that name is ignored or breaks templating; choose another name`;
  if (name.startsWith('ansible_') && !name.startsWith('ansible_facts_') && !connectionVars)
    return `'${name}': names starting with ansible_ are Ansible's connection and fact variables; choose another name`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    return `'${name}' is not a valid variable name (lower-case letters, digits and underscores, not starting with a digit)`;
  return undefined;
}

/**
 * A tag the command line can select: `--tags a,b` splits on commas and a shell on spaces, so a tag
 * with either runs only under `--tags all`. A Jinja tag is templated when the run decides (taken).
 */
export function tagProblem(tag: unknown): string | undefined {
  if (typeof tag !== 'string' || tag.includes('{{')) return undefined;
  if (/[\s,]/.test(tag))
    return `tag '${tag}' has a space or a comma: --tags splits on commas and the shell on spaces, so no --tags selects it; use letters, digits, '-' and '_' ('${tag.trim().replace(/[\s,]+/g, '-')}')`;
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

/** A literal number where Ansible wants a whole number in a range; Jinja and absent values pass. */
function rangeProblem(value: unknown, what: string, min: number, max = Infinity): string | undefined {
  if (typeof value !== 'number') return undefined;
  if (Number.isInteger(value) && value >= min && value <= max) return undefined;
  return `${what} ${value}: expected a whole number ${max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`}`;
}

/** A play's rollout keywords: a negative serial or throttle, or a percentage over 100, turns a rolling change into an all-at-once one. */
export function playRolloutProblems(play: { serial?: unknown; max_fail_percentage?: unknown }): [string, string][] {
  const out: [string, string][] = [];
  const serials = Array.isArray(play.serial)
    ? (play.serial as unknown[])
    : play.serial === undefined
      ? []
      : [play.serial];
  for (const v of serials) {
    if (typeof v === 'string' && v.includes('{{')) continue;
    const percent = typeof v === 'string' ? /^\s*(-?\d+(?:\.\d+)?)%\s*$/.exec(v) : null;
    let p: string | undefined;
    if (percent) {
      const n = Number(percent[1]);
      if (!(n > 0 && n <= 100)) p = `serial '${String(v)}': expected a percentage above 0% and at most 100%`;
    } else if (typeof v === 'string' && !/^\s*-?\d+\s*$/.test(v))
      p = `serial '${v}': expected a number of hosts, a percentage ('30%') or a list of them`;
    else p = rangeProblem(typeof v === 'string' ? Number(v) : v, 'serial', 1);
    if (p) out.push(['serial', p]);
  }
  const m = rangeProblem(play.max_fail_percentage, 'max_fail_percentage', 0, 100);
  if (m) out.push(['max_fail_percentage', m]);
  return out;
}

/** Argument combinations a module's action plugin or the module itself rejects only on the host. */
/**
 * The first shell operator in a command line outside quotes, Jinja and backslash escapes: what
 * `command` (which splits the line into words as shlex does, with no shell) would hand the program
 * as a word of its own, a pipe or a redirection that never happens.
 */
export function shellOperator(line: string): string | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') i++;
    else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '{' && (line[i + 1] === '{' || line[i + 1] === '%')) {
      const end = line.indexOf(line[i + 1] === '{' ? '}}' : '%}', i + 2);
      if (end < 0) return undefined;
      i = end + 1;
    } else {
      const op = ['&&', '||', '$(', '|', ';', '>', '<', '`'].find((o) => line.startsWith(o, i));
      if (op) return op;
    }
  }
  return undefined;
}

function argumentProblems(fqcn: string, args: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const str = (k: string) => (typeof args[k] === 'string' ? args[k] : undefined);
  if (fqcn === 'ansible.builtin.command') {
    const key = str('cmd') !== undefined ? 'cmd' : '_raw_params';
    const op = shellOperator(str(key) ?? '');
    if (op)
      out.push([
        key,
        `'${op}' reaches the program as a word of its own: command runs no shell. Use shell (it pipes and redirects), or split the pipeline into tasks`,
      ]);
  }
  if (fqcn === 'ansible.builtin.copy' && args.content !== undefined && args.src !== undefined)
    out.push(['src', 'copy takes content or src, not both (the action plugin refuses the pair)']);
  if (fqcn === 'ansible.builtin.copy' && args.content === undefined && args.src === undefined)
    out.push(['src', 'copy needs src (a file) or content (a text) to write']);
  // lineinfile's own checks, made in its code after the argument spec.
  if (fqcn === 'ansible.builtin.lineinfile') {
    const absent = str('state') === 'absent';
    const line = args.line ?? args.value;
    const regexp = args.regexp ?? args.regex;
    if (!absent && line === undefined)
      out.push(['line', 'lineinfile with state: present needs line, the line to put in the file']);
    if (absent && line === undefined && regexp === undefined && args.search_string === undefined)
      out.push(['state', 'lineinfile with state: absent needs line, regexp or search_string: which lines to remove']);
    if (!absent && args.backrefs === true && regexp === undefined)
      out.push(['backrefs', 'backrefs: true needs regexp, the expression whose groups line refers to']);
  }
  if (fqcn === 'ansible.builtin.file' && ['link', 'hard'].includes(str('state') ?? '') && args.src === undefined)
    out.push(['src', `file with state: ${str('state')!} needs src, the file the link points to`]);
  if (['ansible.builtin.template', 'ansible.builtin.copy'].includes(fqcn)) {
    const dest = str('dest');
    if (fqcn === 'ansible.builtin.copy' && args.content !== undefined && dest?.endsWith('/'))
      out.push(['dest', `dest '${dest}' ends with '/': copy refuses content written into a folder; name the file`]);
    if (fqcn === 'ansible.builtin.template' && dest?.endsWith('/'))
      out.push([
        'dest',
        `dest '${dest}' ends with '/': template then writes the source file's own name into that folder; name the file`,
      ]);
    const validate = str('validate');
    if (validate !== undefined && !validate.includes('%s'))
      out.push([
        'validate',
        `validate '${validate}' has no %s: Ansible refuses it (the command must name the temporary file)`,
      ]);
  }
  for (const [k, v] of Object.entries(args))
    // '*' and '!' (and their doubles) lock an account: markers, not passwords.
    if (
      /(^|_)(password|passwd|pass|secret|token)$/.test(k) &&
      typeof v === 'string' &&
      !/^[*!]{0,2}$/.test(v) &&
      !v.includes('{{')
    )
      out.push([
        k,
        `a literal ${k} would be written into out/: read it from a variable declared secret (or the secrets file)`,
      ]);
  for (const [k, v] of Object.entries(args))
    if ((k === 'port' || k.endsWith('_port')) && typeof v === 'number' && (!Number.isInteger(v) || v < 1 || v > 65535))
      out.push([k, `port ${v}: expected 1 to 65535`]);
  return out;
}

/** The Jinja expressions of a condition (a typed `cond`'s or a string's; booleans read nothing). */
export function conditionStrings(c: Condition | readonly Condition[] | undefined): string[] {
  if (c === undefined) return [];
  const all = Array.isArray(c) ? (c as readonly Condition[]) : [c as Condition];
  return all.map((x) => (isExpr(x) ? x.expr : typeof x === 'string' ? x : '')).filter(Boolean);
}

export function checkTaskList(
  items: readonly (TaskItem | Handler)[],
  field: string,
  report: Report,
  seen = new Map<string, string>(),
  /** The house style's unique task names (handler names are always unique: Ansible runs one of a name). */
  uniqueTaskNames = true,
): void {
  items.forEach((t, i) => {
    const here = `${field}[${i}] '${t.name}'`;
    if (t.name && (uniqueTaskNames || t.kind === 'handler')) {
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
    for (const tag of t.tags ?? []) {
      const p = tagProblem(tag);
      if (p) report(`${here}.tags`, p);
    }
    if (t.kind === 'block') {
      if (!t.block.length) report(`${here}.block`, 'an empty block: give it tasks or remove it');
      checkTaskList(t.block, `${here}.block`, report, seen, uniqueTaskNames);
      checkTaskList(t.rescue ?? [], `${here}.rescue`, report, seen, uniqueTaskNames);
      checkTaskList(t.always ?? [], `${here}.always`, report, seen, uniqueTaskNames);
      return;
    }
    for (const [k, min] of [
      ['retries', 0],
      ['delay', 0],
      ['throttle', 0],
      ['async', 0],
      ['poll', 0],
      ['timeout', 0],
    ] as const) {
      const p = rangeProblem((t as unknown as Record<string, unknown>)[k], k, min);
      if (p) report(`${here}.${k}`, p);
    }
    if (t.kind === 'task') {
      const p = rangeProblem(t.loop_control?.pause, 'pause', 0);
      if (p) report(`${here}.loop_control.pause`, p);
      if (t.loop !== undefined && t.with !== undefined)
        report(`${here}.with`, "a task takes loop or with, not both: Ansible stops with 'duplicate loop in task'");
      // Settings nothing reads: a loop_control without a loop (the loop was forgotten). House style only:
      // Ansible accepts it, and an imported role keeps what it has.
      if (uniqueTaskNames && t.loop_control && t.loop === undefined && t.with === undefined)
        report(`${here}.loop_control`, 'loop_control without loop or with: it does nothing; add the loop or remove it');
    }
    if (
      t.kind === 'task' &&
      t.notify?.length &&
      (t.changed_when === false || (isExpr(t.changed_when) && t.changed_when.expr === 'false'))
    )
      report(
        `${here}.changed_when`,
        'changed_when: false on a task that notifies: its handlers never run, whatever the task changes; drop one of the two',
      );
    if (t.register) {
      const p = reservedNameProblem(t.register);
      if (p) report(`${here}.register`, p);
    }
    for (const k of Object.keys(t.vars ?? {})) {
      const p = reservedNameProblem(k, true);
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
        if (k === 'cacheable' || k.includes('{{')) continue; // a templated name is decided at run time
        const p = reservedNameProblem(k);
        if (p) report(`${here}.${t.call.spec.fqcn}.${k}`, p);
      }
    }
    for (const [k, problem] of argumentProblems(t.call.spec.fqcn, args))
      report(`${here}.${t.call.spec.fqcn}.${k}`, problem);
    // A file mode is the `raw` option of the file modules; another module's `mode` (with its own
    // choices: mysql_replication's getprimary) is no file mode.
    const mode = t.call.spec.options.mode;
    if (mode && (mode.type ?? 'raw') === 'raw' && !mode.choices && args.mode !== undefined) {
      const p = modeProblem(args.mode);
      if (p) report(`${here}.${t.call.spec.fqcn}.mode`, p);
    }
  });
}

/** Calls `fn` for every task and handler, inside blocks too, with its field path. */
export function eachTask(
  items: readonly (TaskItem | Handler)[],
  field: string,
  fn: (t: Exclude<TaskItem | Handler, { kind: 'block' }>, here: string) => void,
): void {
  items.forEach((t, i) => {
    const here = `${field}[${i}] '${t.name}'`;
    if (t.kind !== 'block') {
      fn(t, here);
      return;
    }
    for (const [k, list] of [
      ['block', t.block],
      ['rescue', t.rescue ?? []],
      ['always', t.always ?? []],
    ] as const)
      eachTask(list, `${here}.${k}`, fn);
  });
}

/**
 * A register, a set_fact or a loop variable named like one of the role's variables replaces, for
 * the rest of the run, what the user set for it: Ansible's precedence puts them above the
 * inventory and the play.
 */
export function checkShadowing(
  items: readonly (TaskItem | Handler)[],
  roleVars: ReadonlySet<string>,
  field: string,
  report: Report,
): void {
  const why = (name: string, how: string) =>
    `${how} '${name}', a variable of this role: it replaces the value the user set for the rest of the run; choose another name`;
  eachTask(items, field, (t, here) => {
    if (t.register && roleVars.has(t.register)) report(`${here}.register`, why(t.register, 'registers'));
    const loopVar = t.kind === 'task' ? t.loop_control?.loop_var : undefined;
    if (loopVar && roleVars.has(loopVar)) report(`${here}.loop_control.loop_var`, why(loopVar, 'loops with'));
    // The idiom `set_fact: x` under `when: x is not defined` fills in only what the user left unset.
    const onlyWhenUnset = (k: string) =>
      conditionStrings(t.when).some((c) => new RegExp(`\\b${k}\\s+is\\s+(not\\s+defined|undefined)\\b`).test(c));
    if (t.call.spec.fqcn === 'ansible.builtin.set_fact' && typeof t.call.args === 'object')
      for (const k of Object.keys(t.call.args))
        if (roleVars.has(k) && !onlyWhenUnset(k)) report(`${here}.${t.call.spec.fqcn}.${k}`, why(k, 'sets the fact'));
  });
}

/**
 * A loop over what is not a list: one of the role's variables that holds a string, a number, a
 * boolean or a dict, a registered result (a dict) or one of its attributes its module documents as
 * something other than a list. Ansible refuses it on the host ("Invalid data passed to 'loop'").
 */
export function checkLoopTypes(
  items: readonly (TaskItem | Handler)[],
  varTypes: ReadonlyMap<string, string>,
  field: string,
  report: Report,
  registered: ReadonlyMap<string, Registered> = registeredResults(items),
): void {
  eachTask(items, field, (t, here) => {
    const loop = (t as { loop?: unknown }).loop;
    const m = typeof loop === 'string' ? /^\{\{\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\}\}$/.exec(loop) : null;
    if (!m) return;
    const [, name, attr] = m as unknown as [string, string, string | undefined];
    const type = attr ? undefined : varTypes.get(name);
    if (type && !['list', 'raw'].includes(type))
      report(
        `${here}.loop`,
        `loops over '${name}', ${type === 'int' ? 'an' : 'a'} ${type} variable: loop takes a list (a string is not split, a dict needs dict2items); declare it list, or loop over [${name}] or ${name} | dict2items`,
      );
    const r = registered.get(name);
    if (!r || varTypes.has(name)) return;
    if (!attr) {
      const lists = Object.keys(r.returns ?? {}).filter((k) => r.returns![k] === 'list');
      const suggest = r.loops
        ? 'results'
        : ((lists.includes('stdout_lines') ? 'stdout_lines' : lists.find((k) => k.endsWith('_lines'))) ?? lists[0]);
      report(
        `${here}.loop`,
        `loops over '${name}', a registered result: a result is a dict${suggest ? `; loop over one of its lists (${name}.${suggest})` : ''}`,
      );
    }
    const documented = !r.loops && attr ? r.returns?.[attr] : undefined;
    if (documented && documented !== 'list')
      report(
        `${here}.loop`,
        `loops over '${name}.${attr}', which ${r.fqcn} documents as ${documented}: loop takes a list${documented === 'str' && r.returns?.[`${attr}_lines`] === 'list' ? `; loop over ${name}.${attr}_lines` : ''}`,
      );
  });
}

/** Option types, and the variable types Ansible's conversion of an argument refuses for each. */
const UNCONVERTIBLE: Readonly<Record<string, readonly string[]>> = {
  int: ['list', 'dict'],
  float: ['list', 'dict'],
  bool: ['list', 'dict'],
  dict: ['int', 'bool', 'list'],
  list: ['dict'],
};

/**
 * A module argument that is one of the role's variables (`port: '{{ web_name }}'`) whose declared
 * type the argument cannot take, or whose choices (or default) the argument's choices do not
 * include: Ansible refuses it on the host, after the tasks before it have run.
 */
export function checkArgumentVariables(
  items: readonly (TaskItem | Handler)[],
  vars: ReadonlyMap<string, { type: string; choices?: readonly unknown[]; default?: unknown }>,
  field: string,
  report: Report,
): void {
  eachTask(items, field, (t, here) => {
    const args = t.call.args;
    if (typeof args !== 'object') return;
    for (const [k, value] of Object.entries(args)) {
      const name = typeof value === 'string' ? /^\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}$/.exec(value)?.[1] : undefined;
      const v = name ? vars.get(name) : undefined;
      const option = t.call.spec.options[k];
      if (!v || !option) continue;
      const at = `${here}.${t.call.spec.fqcn}.${k}`;
      if (option.type && UNCONVERTIBLE[option.type]?.includes(v.type))
        report(
          at,
          `'${name!}' is a ${v.type} variable, and ${k} takes ${option.type === 'int' ? 'an' : 'a'} ${option.type}: Ansible refuses the conversion on the host`,
        );
      const allowed = option.choices?.map(String);
      if (!allowed) continue;
      const values = v.choices ?? (v.default !== undefined && typeof v.default !== 'object' ? [v.default] : []);
      const outside = values.map(String).filter((c) => !c.includes('{{') && !allowed.includes(c));
      if (outside.length)
        report(
          at,
          `'${name!}' may be ${outside.map((c) => `'${c}'`).join(', ')} (its ${v.choices ? 'choices' : 'default'}), which ${k} does not take (expected one of ${allowed.join(', ')})`,
        );
    }
  });
}

/** Keys every task result may hold, whatever its module (Ansible's own, and a loop's). */
const COMMON_RESULT_KEYS = [
  'changed',
  'failed',
  'skipped',
  'msg',
  'results',
  'invocation',
  'warnings',
  'deprecations',
  'diff',
  'skip_reason',
  'false_condition',
  'attempts',
  'ansible_facts',
  'item',
  'ansible_loop_var',
  'ansible_index_var',
  'exception',
  'module_stdout',
  'module_stderr',
  'unreachable',
  'finished',
  'ansible_job_id',
  'started',
];

export interface Registered {
  fqcn: string;
  /** The module's RETURN keys and their documented types (absent: the module documents none, nothing is checked). */
  returns?: Readonly<Record<string, string>>;
  loops: boolean;
}

/** Each registered name of `items` (blocks, task files and handlers included) with what its module returns. */
export function registeredResults(items: readonly (TaskItem | Handler)[], into = new Map<string, Registered>()) {
  eachTask(items, '', (t) => {
    if (!t.register) return;
    into.set(t.register, {
      fqcn: t.call.spec.fqcn,
      ...(t.call.spec.returns ? { returns: t.call.spec.returns } : {}),
      loops: t.loop !== undefined || t.with !== undefined,
    });
  });
  return into;
}

/**
 * `result.stdout_line` for `result.stdout_lines`: an attribute a registered result does not have,
 * when it is a near miss of one it has (its module's RETURN documentation and the keys every result
 * holds). Only near misses: some modules return more than they document (uri, a response's headers).
 */
export function registeredReadProblems(text: string, registered: ReadonlyMap<string, Registered>): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*)|\[['"]([a-z_][a-z0-9_]*)['"]\])/gi)) {
    const r = registered.get(m[1]!);
    const attr = m[2] ?? m[3]!;
    // Documented keys are lower-case; a capitalised one is data the module returns as it found
    // it (mysql_replication's `File`, a server's own column names), which no documentation lists.
    if (!r?.returns || attr !== attr.toLowerCase()) continue;
    // The module's own keys first: the nearest of equals is the first found.
    const has = r.loops ? COMMON_RESULT_KEYS : [...Object.keys(r.returns), ...COMMON_RESULT_KEYS];
    if (has.includes(attr)) continue;
    const near = closest(attr, has);
    if (near)
      out.push(
        `'${m[1]}.${attr}': a result of ${r.fqcn}${r.loops ? ' registered in a loop (its items are in .results)' : ''} has no '${attr}'; did you mean '${near}'?`,
      );
  }
  return out;
}

const NUMBER_LITERAL = String.raw`-?\d+(?:\.\d+)?(?![\w.'"])`;
const STRING_LITERAL = String.raw`(['"])(?:(?!\1).)*\1`;

/**
 * Comparisons in `text` between a variable of a declared type and a literal of another one:
 * Jinja compares `10 == '10'` (and `'on' == true`) as false without a word, so the condition is
 * always false (`!=`: always true) and the task never (always) runs.
 */
export function comparisonProblems(text: string, varTypes: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [name, type] of varTypes) {
    if (!text.includes(name)) continue;
    const literal = ['int', 'float', 'bool'].includes(type)
      ? STRING_LITERAL
      : ['str', 'path'].includes(type)
        ? NUMBER_LITERAL
        : undefined;
    if (!literal) continue;
    const v = String.raw`(?<![\w.'"])${name}(?![\w.(\[|])`;
    const op = String.raw`\s*(?:==|!=)\s*`;
    // Group 1 or 3 is the literal; a string literal's closing quote refers back to group 2 or 4.
    const m = new RegExp(
      `${v}${op}(${literal.replaceAll('\\1', '\\2')})|(${literal.replaceAll('\\1', '\\4')})${op}${v}`,
    ).exec(text);
    if (!m) continue;
    const lit = m[1] ?? m[3]!;
    const instead =
      type === 'bool'
        ? `${name} or not ${name}`
        : literal === NUMBER_LITERAL
          ? `${name} == '${lit}'`
          : /^-?\d+(\.\d+)?$/.test(lit.slice(1, -1))
            ? `${name} == ${lit.slice(1, -1)}`
            : `a comparison with a number`;
    const a = type === 'int' ? 'an' : 'a';
    out.push(
      `compares '${name}', ${a} ${type} variable, with ${lit}: Jinja finds ${a} ${type} and a ${literal === STRING_LITERAL ? 'string' : 'number'} never equal, so the condition never changes; write ${instead}`,
    );
  }
  return out;
}

/** Conditions that compare a role variable with a literal of another type (see comparisonProblems). */
export function checkComparisons(
  items: readonly (TaskItem | Handler)[],
  varTypes: ReadonlyMap<string, string>,
  field: string,
  report: Report,
): void {
  const visit = (list: readonly (TaskItem | Handler)[], at: string) => {
    list.forEach((t, i) => {
      const here = `${at}[${i}] '${t.name}'`;
      for (const key of CONDITION_KEYS)
        for (const c of conditionStrings(
          (t as unknown as Record<string, Condition | readonly Condition[] | undefined>)[key],
        ))
          for (const p of comparisonProblems(c, varTypes)) report(`${here}.${key}`, p);
      if (t.kind === 'block') for (const k of ['block', 'rescue', 'always'] as const) visit(t[k] ?? [], `${here}.${k}`);
    });
  };
  visit(items, field);
}
