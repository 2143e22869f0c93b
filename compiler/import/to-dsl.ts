// Turns a role read from YAML into the DSL source a person would write: typed module calls where
// dsl/modules/ knows the module, declared variables typed from their defaults and argument specs,
// task files, variable files, handlers and blocks. What it cannot type it keeps working through a
// marked escape hatch (`untypedModule`) and lists in the summary.
import { BLOCK_KEYWORDS, TASK_KEYWORDS } from '../../dsl/task.js';
import { asAnsibleReads } from './ansible-values.js';
import { ImportError, TASK_COMMENT, TASK_NOQA, type RoleFolder } from './read-role.js';
import type { DocOptionType } from './resolve-modules.js';

/** Task keywords the DSL carries as task options (the rest of a task's keys name its module). */
const OPTION_KEYS = new Set<string>(TASK_KEYWORDS);
const LOOKUP_LOOP = /^with_[a-z][\w.]*$/;
const KEYWORDS = new Set([...OPTION_KEYS, 'name', 'args', 'block', 'rescue', 'always', 'action', 'local_action']);
const BLOCK_OPTIONS = new Set<string>(BLOCK_KEYWORDS);
/** Actions whose free-form word is the file they read (`include_tasks: x.yml` is `file: x.yml`). */
const FILE_FORM = /^(ansible\.builtin\.)?(include_tasks|import_tasks|include_vars)$/;
const FREE_FORM_COMMANDS = new Set(['command', 'shell', 'ansible.builtin.command', 'ansible.builtin.shell']);
const isKeyword = (k: string) => KEYWORDS.has(k) || LOOKUP_LOOP.test(k);

export interface ImportSummary {
  typed: number;
  untyped: number;
  notes: string[];
}

/** A JavaScript value as TypeScript source (prettier lays it out afterwards). */
export function literal(v: unknown): string {
  if (typeof v === 'string')
    return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  // Keys that are numbers or booleans, as the YAML had them (read-role's keepTypedKeys).
  if (v instanceof Map)
    return `new Map<unknown, unknown>([${[...v].map(([k, x]) => `[${literal(k)}, ${literal(x)}]`).join(', ')}])`;
  const entries = Object.entries(v as Record<string, unknown>).map(
    ([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k)}: ${literal(x)}`,
  );
  return `{ ${entries.join(', ')} }`;
}

/**
 * `name={{ x }} state=present enabled=yes` -> { name: '{{ x }}', state: 'present', enabled: true }:
 * quotes and Jinja spans respected; yes/no/true/false and integers typed as the module reads them.
 */
export function keyValues(text: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const re = /\s*([\w-]+)=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|(?:\{\{.*?\}\}|\S)+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text))) {
    const raw = m[2]!;
    const value = /^["']/.test(raw) ? raw.slice(1, -1) : raw;
    // Strings, as Ansible's parse_kv gives them: the module's argument spec converts each by its
    // type (asAnsibleReads), and `mode=0750` stays the octal string it is.
    out[m[1]!] = value;
    end = re.lastIndex;
  }
  return text.slice(end).trim() || !Object.keys(out).length ? undefined : out;
}

/** The keys of a task that name its module (one, in a well-formed task). */
export const moduleKeys = (t: Record<string, unknown>) => Object.keys(t).filter((k) => !isKeyword(k));

/**
 * The module a task calls and its arguments: its one module key, or the `action:`/`local_action:`
 * form (`action: shell echo hi`, `local_action: { module: copy, ... }`).
 */
export function taskModule(t: Record<string, unknown>): { module: string; value: unknown } | undefined {
  const action = t.action ?? t.local_action;
  if (action !== undefined && moduleKeys(t).length === 0) {
    if (typeof action === 'string') {
      const [module, ...rest] = action.trim().split(/\s+/);
      return module ? { module, value: rest.join(' ') || {} } : undefined;
    }
    if (action && typeof action === 'object' && typeof (action as { module?: unknown }).module === 'string') {
      const { module, ...args } = action as { module: string };
      return { module, value: args };
    }
    return undefined;
  }
  const keys = moduleKeys(t);
  return keys.length === 1 ? { module: keys[0]!, value: t[keys[0]!] } : undefined;
}

/**
 * The project's role a reference names: a Galaxy name (`geerlingguy.nginx`) or a collection's
 * (`ns.coll.role`) is the project's role of that last name once imported; anything else unchanged.
 */
export function projectRoleName(written: string, has: (name: string) => boolean): string {
  const last = written.split('.').pop()!;
  return !has(written) && written.includes('.') && has(last) ? last : written;
}

const stem = (file: string) => file.replace(/\.ya?ml$/, '');

export class RoleConverter {
  readonly imports = new Set<string>(['defineRole']);
  readonly summary: ImportSummary = { typed: 0, untyped: 0, notes: [] };

  /**
   * @param typed module name as a task may write it -> its DSL function (compiler/module-names.ts)
   * @param resolved names dsl/modules/ does not type -> their fully qualified name, as Ansible resolves them
   */
  constructor(
    private readonly role: RoleFolder,
    private readonly typed: ReadonlyMap<string, string>,
    private readonly resolved: ReadonlyMap<string, string> = new Map(),
    private readonly moduleOptions: ReadonlyMap<string, Readonly<Record<string, DocOptionType>>> = new Map(),
  ) {}

  private use(name: string): string {
    this.imports.add(name);
    return name;
  }

  /** A DSL export the generated source calls (added to its import line). */
  useName(name: string): string {
    return this.use(name);
  }

  private note(where: string, what: string): void {
    this.summary.notes.push(`${where}: ${what}`);
  }

  /**
   * Roles the project has, by name, with the collection each belongs to (if any). A reference
   * qualified with that collection (`prometheus.prometheus._common`) stays as written: the build
   * makes the role reachable so. Qualified otherwise, it is written as the project's own role,
   * which is where Ansible will find it.
   */
  localRoles: ReadonlyMap<string, string | undefined> = new Map();

  /** `ns.coll.role` -> `role` when the project has that role outside collection `ns.coll`; anything else unchanged. */
  localRole(name: string): string {
    const last = name.split('.').pop()!;
    const collection = this.localRoles.get(last);
    if (collection !== undefined && `${collection}.${last}` === name) return name;
    return projectRoleName(name, (n) => this.localRoles.has(n));
  }

  /** Free-form argument strings as ansible-core reads them, by `module\0text` (resolve-modules.ts freeFormArgs). */
  freeForm: ReadonlyMap<string, Record<string, unknown>> = new Map();

  /** Modules no types can come from: the role's own (library/) and those of collections not installed. */
  untypeable: ReadonlySet<string> = new Set();

  /** What the import cannot carry: collected, then refused all together (nothing is dropped). */
  readonly refusals: string[] = [];

  private refuse(where: string, what: string): void {
    this.refusals.push(`${this.role.dir}/${where}: ${what}`);
  }

  /** Throws the refusals collected while converting, if any. */
  assertNothingDropped(): void {
    if (this.refusals.length)
      throw new ImportError(`nothing was written: the import cannot carry\n  ${this.refusals.join('\n  ')}`);
  }

  /**
   * Whether a task's `args:` stays a keyword beside its module's free-form words (they cannot
   * merge: a mapping with _raw_params is no typed call, and ansible-lint refuses it for raw).
   */
  private keptArgs(module: string, value: unknown, extraArgs: unknown): boolean {
    if (typeof value !== 'string' || !extraArgs || typeof extraArgs !== 'object') return false;
    if (FILE_FORM.test(module) || FREE_FORM_COMMANDS.has(module)) return false;
    const parsed = this.freeForm.get(`${module}\0${value}`);
    return !parsed || (!('__error__' in parsed) && Object.keys(parsed).every((k) => k === '_raw_params'));
  }

  /** The module call of a task (or handler), typed where dsl/modules/ has the module. */
  private call(module: string, rawArgs: unknown, extraArgs: unknown, where: string): string {
    let args: unknown = rawArgs ?? {};
    const parsed = typeof args === 'string' ? this.freeForm.get(`${module}\0${args}`) : undefined;
    if (parsed && !('__error__' in parsed)) {
      // As ansible-core reads the words: `k=v` it splits off (a command's creates=, chdir=) are
      // arguments, the rest the command line.
      const { _raw_params: words, ...named } = parsed;
      if (FREE_FORM_COMMANDS.has(module)) args = { ...(words !== undefined ? { cmd: words } : {}), ...named };
      else if (!Object.keys(named).length) args = rawArgs;
      else args = words === undefined ? named : parsed;
    } else if (typeof args === 'string') {
      if (FREE_FORM_COMMANDS.has(module)) args = { cmd: args };
      else args = keyValues(args) ?? args;
    }
    if (extraArgs && typeof extraArgs === 'object') {
      // Free-form words and `args:` together: an include's words are its file; any other module's
      // (`raw: ...` with `args: { executable }`) stay words, `args:` a keyword (keptArgs).
      if (typeof args === 'string' && FILE_FORM.test(module)) args = { file: args };
      if (typeof args === 'object' && args !== null) args = { ...args, ...extraArgs };
    }
    const fqcn = this.resolved.get(module) ?? (module.includes('.') ? module : `ansible.builtin.${module}`);
    const fn = this.typed.get(module) ?? this.typed.get(fqcn);
    // Free-form words beside `args:` have no typed form (_raw_params is no documented option).
    const rawParams = typeof args === 'object' && args !== null && '_raw_params' in args;
    if (fn && !rawParams && typeof args === 'object' && args !== null && !Array.isArray(args)) {
      this.summary.typed++;
      const options = this.moduleOptions.get(module);
      if (options) args = asAnsibleReads(args as Record<string, unknown>, options);
      return `${this.use(fn)}(${literal(args)})`;
    }
    this.summary.untyped++;
    const unresolvable = this.untypeable.has(module);
    this.note(
      where,
      unresolvable
        ? `${fqcn} kept as untypedModule, its arguments unchecked (the role's own module, or one of a collection that is not installed)`
        : typeof args === 'string' || rawParams
          ? `${fqcn} with free-form arguments kept as untypedModule`
          : `${fqcn} is not in dsl/modules/ (add it with npm run gen:modules -- ${fqcn}); kept as untypedModule, its arguments unchecked`,
    );
    return `${this.use('untypedModule')}(${literal(fqcn)}, ${literal(args)})`;
  }

  /** A task's options as `key: source` fragments of TypeScript. */
  private optionFragments(
    t: Record<string, unknown>,
    allowed: ReadonlySet<string>,
    where: string,
    module?: string,
  ): string[] {
    const out: Record<string, unknown> = {};
    const comment = (t as { [TASK_COMMENT]?: string })[TASK_COMMENT];
    if (comment) out.comment = comment;
    const noqa = (t as { [TASK_NOQA]?: string[] })[TASK_NOQA];
    if (noqa && allowed !== BLOCK_OPTIONS) out.noqa = noqa;
    for (const [k, v] of Object.entries(t)) {
      if (k === 'args' && module !== undefined && this.keptArgs(module, taskModule(t)?.value, v)) {
        out.args = v;
        continue;
      }
      if (k === module || k === 'name' || k === 'args' || k === 'block' || k === 'rescue' || k === 'always') continue;
      if (k === 'action' || k === 'local_action') continue; // the module, read by task()
      if (k === 'with_list' || (k === 'with_items' && Array.isArray(v) && !v.some(Array.isArray))) out.loop = v;
      else if (LOOKUP_LOOP.test(k)) out.with = { lookup: k.slice('with_'.length), terms: v };
      else if ((k === 'notify' || k === 'tags') && typeof v === 'string') out[k] = [v];
      else if (allowed.has(k)) out[k] = v;
      else
        this.refuse(
          where,
          `key '${k}' is not a keyword Ansible takes ${allowed === BLOCK_OPTIONS ? 'on a block' : 'here'}`,
        );
    }
    // In the order the build writes them, so that importing an emitted role gives the same source.
    const rank = (k: string) => (k === 'comment' ? -1 : k === 'noqa' ? 999 : TASK_KEYWORDS.indexOf(k as never));
    return Object.entries(out)
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([k, v]) => `${k}: ${literal(v)}`);
  }

  /** The options argument of a DSL call, `, { ... }` (with `sources`, fragments already written as TypeScript), or nothing. */
  private options(
    t: Record<string, unknown>,
    allowed: ReadonlySet<string>,
    where: string,
    module?: string,
    sources: string[] = [],
  ): string {
    const all = [...this.optionFragments(t, allowed, where, module), ...sources];
    return all.length ? `, { ${all.join(', ')} }` : '';
  }

  task(raw: unknown, where: string): string {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      this.refuse(where, 'not a task (a mapping)');
      return '';
    }
    const t = raw as Record<string, unknown>;
    const name = typeof t.name === 'string' ? t.name : '';
    if (Array.isArray(t.block)) {
      const lists = (['rescue', 'always'] as const)
        .filter((k) => Array.isArray(t[k]))
        .map((k) => `${k}: ${this.list(t[k] as unknown[], `${where}.${k}`)}`);
      const options = this.options(t, BLOCK_OPTIONS, where, undefined, lists);
      return `${this.use('block')}(${literal(name)}, ${this.list(t.block as unknown[], `${where}.block`)}${options})`;
    }
    const found = taskModule(t);
    if (!found) {
      this.refuse(where, `a task calls one module; found ${moduleKeys(t).join(', ') || 'none'}`);
      return '';
    }
    const { module, value } = found;
    const local = t.local_action !== undefined ? [`delegate_to: 'localhost'`] : [];
    const short = module.replace(/^ansible\.builtin\./, '');
    // The typed include helpers carry a file name only: anything more (`apply:`, `args:`) goes
    // through the module call below, which carries every argument.
    const fileOnly =
      t.args === undefined &&
      (typeof value === 'string' || Object.keys((value as object | null) ?? {}).join() === 'file');
    const file = !fileOnly ? undefined : typeof value === 'string' ? value : (value as { file?: unknown }).file;
    if ((short === 'include_tasks' || short === 'import_tasks') && typeof file === 'string') {
      this.summary.typed++;
      const fn = this.use(short === 'include_tasks' ? 'includeTasks' : 'importTasks');
      return `${fn}(${literal(name)}, ${literal(file.includes('{{') ? file : stem(file))}${this.options(t, OPTION_KEYS, where, module, local)})`;
    }
    if (short === 'meta' && value === 'flush_handlers') {
      this.summary.typed++;
      const opts = [...this.optionFragments(t, OPTION_KEYS, where, module), ...local];
      const call = `${this.use('flushHandlers')}(${literal(name)})`;
      return opts.length ? `{ ...${call}, ${opts.join(', ')} }` : call;
    }
    if (
      short === 'include_vars' &&
      typeof file === 'string' &&
      !('name' in (typeof value === 'object' && value ? value : {}))
    ) {
      this.summary.typed++;
      return `${this.use('includeVars')}(${literal(name)}, ${literal(file.includes('{{') ? file : stem(file))}${this.options(t, OPTION_KEYS, where, module, local)})`;
    }
    if ((short === 'include_role' || short === 'import_role') && value && typeof value === 'object') {
      const role = (value as { name?: unknown }).name;
      if (typeof role === 'string' && this.localRole(role) !== role) {
        this.note(where, `role '${role}' is this project's role '${this.localRole(role)}'`);
        return `${this.use('task')}(${literal(name)}, ${this.call(module, { ...value, name: this.localRole(role) }, t.args, where)}${this.options(t, OPTION_KEYS, where, module, local)})`;
      }
    }
    const extra = this.keptArgs(module, value, t.args) ? undefined : t.args;
    return `${this.use('task')}(${literal(name)}, ${this.call(module, value, extra, where)}${this.options(t, OPTION_KEYS, where, module, local)})`;
  }

  list(items: readonly unknown[], where: string): string {
    return `[${items
      .map((t, i) => this.task(t, `${where}[${i}]`))
      .filter(Boolean)
      .join(',\n')}]`;
  }

  handler(raw: unknown, where: string): string {
    const t = (raw ?? {}) as Record<string, unknown>;
    const found = taskModule(t);
    if (!found || (typeof t.name !== 'string' && t.listen === undefined)) {
      this.refuse(where, 'a handler needs a name (or a listen topic) and one module');
      return '';
    }
    const local = t.local_action !== undefined ? [`delegate_to: 'localhost'`] : [];
    // `t` itself, not a copy: the comment above the handler is a hidden property of it.
    const extra = this.keptArgs(found.module, found.value, t.args) ? undefined : t.args;
    return `${this.use('handler')}(${literal(typeof t.name === 'string' ? t.name : '')}, ${this.call(found.module, found.value, extra, where)}${this.options(t, OPTION_KEYS, where, found.module, local)})`;
  }

  /**
   * A variable declaration typed from its argument spec, else from its default. The default is
   * read as the spec's validation reads it ('5000' for an int is 5000); a value of no single DSL
   * type (a list of strings and mappings, a bool or a string) is declared `raw`, as Ansible has it.
   */
  variable(name: string, raw: unknown): string {
    const spec = this.role.argumentSpecs[name] ?? {};
    // The default as written: Ansible's argument spec validation checks a value, it never writes
    // the converted one back ('640000' for an int stays the string the role's tasks read).
    const value = raw;
    // The argument specs' description, else the comment above the default in defaults/main.yml.
    const described =
      (Array.isArray(spec.description) ? spec.description.join(' ') : spec.description) ??
      this.role.defaultComments[name];
    const jinja = typeof value === 'string' && value.includes('{{');
    const kind = (v: unknown) =>
      typeof v === 'boolean'
        ? 'bool'
        : Number.isInteger(v)
          ? 'int'
          : Array.isArray(v)
            ? 'list'
            : v && typeof v === 'object' && !(v instanceof Map)
              ? 'dict'
              : typeof v === 'string'
                ? 'str'
                : 'raw';
    // A null default is a value (`x is defined` holds, `x | default(y)` keeps it): carried as one.
    const absent = value === undefined;
    const type = spec.type ?? (absent ? 'str' : kind(value));
    const parts = (...extra: string[]) =>
      `{ ${[
        ...extra.slice(0, 1),
        ...(described ? [`description: ${literal(described)}`] : []),
        ...(absent ? [] : [`default: ${literal(value)}`]),
        ...extra.slice(1),
        ...(spec.required && absent ? ['required: true'] : []),
      ]
        .filter(Boolean)
        .join(', ')} }`;
    const fits = absent || jinja || (value !== null && kind(value) === (type === 'path' ? 'str' : type));
    // no_log in the spec is a secret of any type: carried, never dropped.
    const secret = spec.no_log ? 'secret: true' : '';
    if (type === 'list' && (fits || Array.isArray(value))) {
      const items = Array.isArray(value) ? (value as unknown[]) : [];
      const kinds = new Set(items.map(kind));
      const inferred = kinds.size === 1 ? [...kinds][0]! : 'raw';
      const elements = ['str', 'int', 'bool', 'dict'].includes(spec.elements ?? '')
        ? spec.elements!
        : spec.elements
          ? 'raw'
          : ['str', 'int', 'bool', 'dict'].includes(inferred)
            ? inferred
            : 'raw';
      return `${this.use('list')}(${parts(`elements: ${literal(elements)}`, secret)})`;
    }
    if (type === 'str' && spec.no_log) return `${this.use('str')}(${parts('', secret)})`;
    if (type === 'str' && (fits || absent))
      return `${this.use('str')}(${parts('', spec.choices ? `choices: ${literal(spec.choices)}` : '')})`;
    if (type === 'path' && fits) return `${this.use('path')}(${parts('', secret)})`;
    if ((type === 'bool' || type === 'int' || type === 'dict') && fits && !jinja)
      return `${this.use(type)}(${parts('', secret)})`;
    return `${this.use('raw')}(${parts('', secret)})`;
  }
}
