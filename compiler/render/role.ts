// Renders one role to its Ansible files: tasks, handlers, defaults, argument specs, meta,
// templates, files and a README, all from the one TypeScript declaration.
import fs from 'node:fs';
import { parse } from 'yaml';
import path from 'node:path';
import type { OptionSpec } from '../../dsl/module.js';
import { DEFAULT_META, refsFor, type Refs, type Role, type RoleDefinition, type RoleMeta } from '../../dsl/role.js';
import type { Handler, TaskItem } from '../../dsl/task.js';
import type { VarDecls, VarSpec } from '../../dsl/vars.js';
import { checkOptions } from '../check/args.js';
import type { Problems } from '../errors.js';
import { CONDITION_KEYS, isMagic, scanExpression, scanTemplate, undeclaredMessage } from '../jinja-refs.js';
import { renderRoleReadme, roleRequirements } from './readme.js';
import { boundNames, conditionValue, notifiable, renderTasks, type Bindings, type Scope } from './tasks.js';
import { INPUTS_HEADING, ROLE_PLUGIN_DIRS } from '../role-layout.js';
import {
  checkComparisons,
  checkArgumentVariables,
  checkLoopTypes,
  checkShadowing,
  checkTaskList,
  registeredReadProblems,
  registeredResults,
  type Registered,
  reservedNameProblem,
} from '../check/tasks.js';
import { checkIncludes, checkNestedLoopVars, type RoleFileNames } from '../check/includes.js';
import { checkIncludeTags } from '../check/include-tags.js';
import { derivedSecrets, secretExposureProblems } from '../check/secrets.js';
import { eachInherited } from '../check/inheritance.js';
import { checkTemplates } from '../check/templates.js';
import { plain, strings } from '../values.js';
import { annotate } from '../../lib/yaml-notes.js';
import { filesUnder } from '../../lib/files-under.js';

/** Emitted files by path under out/: text, bytes, or data to write as YAML. */
export type OutFiles = Map<string, string | Buffer | { yaml: unknown; comment?: string }>;

export interface RoleSource {
  role: Role<VarDecls>;
  /** Path of the role's source file, relative to the project root (for messages). */
  file: string;
  /** The role's source folder (templates/ and files/ live here). */
  dir: string;
}

/**
 * A variable's description in meta/argument_specs.yml: one string, or, when its line would pass
 * ansible-lint's 160 columns (the writer folds from the value's start), a list of lines at word
 * boundaries, which Ansible reads as the same paragraph.
 */
function specDescription(text: string | undefined): string | string[] | undefined {
  if (!text || text.length <= 120) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > 110) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** An int variable's bounds: its own, or a port's (a name ending in _port) 1-65535. */
function intRange(name: string, v: VarSpec<unknown>): { min?: number; max?: number } {
  if (v.type !== 'int') return {};
  const port = /(^|_)port$/.test(name);
  const min = v.min ?? (port ? 1 : undefined);
  const max = v.max ?? (port ? 65535 : undefined);
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

export function varOptionSpecs(vars: VarDecls, nested = false): Record<string, OptionSpec> {
  const out: Record<string, OptionSpec> = {};
  for (const [k, v] of Object.entries(vars)) {
    out[k] = {
      type: v.type,
      // A role variable's `required` is checked per play (inventory or play may give it); a key of
      // a dict is required in every value.
      ...(nested && v.required ? { required: true } : {}),
      ...(v.choices ? { choices: v.choices as readonly (string | number)[] } : {}),
      ...(v.elements ? { elements: v.elements } : {}),
      ...(v.options ? { suboptions: varOptionSpecs(v.options, true) } : {}),
      ...intRange(k, v),
      ...(v.type === 'list' ? { listOnly: true } : {}),
    };
  }
  return out;
}

/** A variable as meta/argument_specs.yml declares it (Ansible checks a role's input against it). */
function argumentSpec(v: VarSpec<unknown>, defaultValue: { value?: unknown }): Record<string, unknown> {
  return {
    type: v.type,
    description: specDescription(v.description),
    ...('value' in defaultValue ? { default: defaultValue.value } : {}),
    ...(v.required ? { required: true } : {}),
    ...(v.choices ? { choices: [...v.choices] } : {}),
    ...(v.elements ? { elements: v.elements } : {}),
    ...(v.secret ? { no_log: true } : {}),
    ...(v.options
      ? {
          options: Object.fromEntries(
            Object.entries(v.options).map(([k, o]) => [
              k,
              argumentSpec(o, o.default !== undefined ? { value: plain(o.default) } : {}),
            ]),
          ),
        }
      : {}),
  };
}

/** The task and variable files Ansible can find in a role, by the names tasks use for them. */
export function roleFileNames(def: RoleDefinition<VarDecls>): RoleFileNames {
  return {
    tasks: new Set(['main.yml', ...Object.keys(def.taskFiles ?? {}).map((n) => `${n}.yml`)]),
    vars: new Set(Object.keys(def.varsFiles ?? {}).map((n) => `${n}.yml`)),
  };
}

/** What a role's task files and non-main variable files bind, for the tasks including them. */
export function roleBindings(
  def: RoleDefinition<VarDecls>,
  refs: Refs<VarDecls>,
  evaluate = <T>(_: string, f: () => T, fallback: T) => {
    try {
      return f();
    } catch {
      return fallback;
    }
  },
): Bindings {
  return {
    taskFiles: new Map(
      Object.entries(def.taskFiles ?? {}).map(([n, f]) => [
        `${n}.yml`,
        evaluate(`taskFiles.${n}`, () => f(refs), [] as readonly TaskItem[]),
      ]),
    ),
    varsFiles: new Map(
      Object.entries(def.varsFiles ?? {})
        .filter(([n]) => n !== 'main')
        .map(([n, v]) => [`${n}.yml`, Object.keys(v)]),
    ),
  };
}

/** A task file's name, in a subfolder or not (`extensions/postgis`: tasks/extensions/postgis.yml). */
const FILE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;
/** Variable files are named by facts (`vars/Oracle Linux.yml`, ansible_distribution): spaces too. */
const VARS_FILE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_. -]*(\/[A-Za-z0-9_][A-Za-z0-9_. -]*)*$/;

function catchUndeclared<T>(problems: Problems, file: string, field: string, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (e) {
    problems.add(file, field, e instanceof Error ? e.message : String(e));
    return fallback;
  }
}

/** `roles`: every role of the build by name, for include_role checks; `example`: a play using the role, for its README. */
/**
 * The role's own names: the role's, its variables' (valid, and under the house style prefixed and
 * described), its variable files' and task files', and no variable both declared and in vars/.
 */
function checkNames(def: RoleDefinition<VarDecls>, file: string, problems: Problems): void {
  const house = def.houseStyle !== false;
  if (!/^[a-z_][a-z0-9_]*$/.test(def.name))
    problems.add(file, 'name', `role name '${def.name}' must be lower-case letters, digits and underscores`);
  // Ansible's collection names: a namespace and a name, each a Python identifier.
  if (def.collection !== undefined && !/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(def.collection))
    problems.add(
      file,
      'collection',
      `collection '${def.collection}' must be '<namespace>.<name>', each lower-case letters, digits and underscores`,
    );
  for (const [k, v] of Object.entries(def.vars)) {
    const invalid = reservedNameProblem(k);
    if (invalid) problems.add(file, `vars.${k}`, invalid);
    else if (house && !k.startsWith(`${def.name}_`))
      problems.add(
        file,
        `vars.${k}`,
        `role variables must start with the role's name ('${def.name}_'), as ansible-lint's var-naming rule expects`,
      );
    if (house && !v.description?.trim())
      problems.add(file, `vars.${k}`, 'every variable needs a description (it goes to the argument specs and README)');
  }
  for (const [n, values] of Object.entries(def.varsFiles ?? {})) {
    if (!VARS_FILE_KEY.test(n) || n.endsWith('.yml'))
      problems.add(
        file,
        `varsFiles.${n}`,
        `'${n}' names vars/${n}.yml: letters, digits, '_', '.', '-', ' ', folders split by '/', without the .yml`,
      );
    for (const k of Object.keys(values)) {
      const p = reservedNameProblem(k);
      if (p) problems.add(file, `varsFiles.${n}.${k}`, p);
      else if (house && !k.startsWith(`${def.name}_`))
        problems.add(
          file,
          `varsFiles.${n}.${k}`,
          `role variables must start with the role's name ('${def.name}_'), as ansible-lint's var-naming rule expects`,
        );
      if (house && Object.hasOwn(def.vars, k))
        problems.add(
          file,
          `varsFiles.${n}.${k}`,
          `'${k}' is also a declared variable: vars/ overrides what a user passes, so a user could never set it; keep it in one place`,
        );
    }
  }
  for (const n of Object.keys(def.taskFiles ?? {})) {
    if (!FILE_KEY.test(n) || n.endsWith('.yml') || n === 'main')
      problems.add(
        file,
        `taskFiles.${n}`,
        `'${n}' names tasks/${n}.yml: letters, digits, '_', '.', '-', folders split by '/', without the .yml, not 'main' (that is \`tasks\`)`,
      );
  }
}

/** meta/main.yml (Galaxy's information and the dependencies) and meta/argument_specs.yml. */
function roleMeta(
  def: RoleDefinition<VarDecls>,
  meta: Omit<RoleMeta, 'platforms'> & { platforms?: RoleMeta['platforms'] },
  defaults: Readonly<Record<string, unknown>>,
  house: boolean,
): [string, unknown][] {
  const dependencies = (def.dependencies ?? []).map((u) => ({
    role: u.role.definition.name,
    ...(u.when !== undefined ? { when: conditionValue(u.when) } : {}),
    ...(u.tags ? { tags: [...u.tags] } : {}),
    ...(Object.keys(u.vars).length ? { vars: plain(u.vars) } : {}),
  }));
  const original = def.originalMeta;
  // An imported role's other meta files are copied as they are (renderRole).
  if (original) return [['meta/main.yml', { ...(plain(original.main) as object), dependencies }]];
  return [
    [
      'meta/main.yml',
      {
        galaxy_info: {
          // Galaxy's pattern has no leading underscore (a collection's internal `_common`): left out then.
          ...(/^[a-z][a-z0-9_]+$/.test(def.name) ? { role_name: def.name } : {}),
          namespace: 'pgha',
          author: meta.author,
          description: def.description,
          license: meta.license,
          min_ansible_version: meta.min_ansible_version,
          ...(meta.platforms ? { platforms: meta.platforms } : {}),
          ...(meta.galaxy_tags || house ? { galaxy_tags: meta.galaxy_tags ?? [] } : {}),
        },
        dependencies,
      },
    ],
    [
      'meta/argument_specs.yml',
      {
        argument_specs: {
          main: {
            short_description: def.description,
            options: Object.fromEntries(
              Object.entries(def.vars).map(([k, v]) => [
                k,
                argumentSpec(v, k in defaults ? { value: defaults[k] } : {}),
              ]),
            ),
          },
        },
      },
    ],
  ];
}

/**
 * The checks of each task list on its own (main tasks, task files, handlers): names, conditions,
 * numbers, argument pairs, shadowed role variables, loops, typed comparisons, includes.
 */
function checkTaskLists(
  def: RoleDefinition<VarDecls>,
  tasks: readonly TaskItem[],
  handlers: readonly Handler[],
  bindings: Bindings,
  targets: Parameters<typeof checkIncludes>[2],
  registered: ReadonlyMap<string, Registered>,
  report: (field: string, message: string) => void,
): void {
  const house = def.houseStyle !== false;
  const taskLists: [string, readonly TaskItem[]][] = [
    ['tasks', tasks],
    ...[...bindings.taskFiles].map(([n, items]): [string, readonly TaskItem[]] => [
      `taskFiles.${n.slice(0, -4)}`,
      items,
    ]),
  ];
  const roleVars = new Set(Object.keys(def.vars));
  const varTypes = new Map(Object.entries(def.vars).map(([k, v]) => [k, v.type]));
  const roleVarSpecs = new Map(Object.entries(def.vars));
  for (const [field, items] of taskLists) {
    checkTaskList(items, field, report, undefined, house);
    // An imported role's `set_fact` of its own variable (OS-specific values) is its own idiom.
    if (house) checkShadowing(items, roleVars, field, report);
    checkLoopTypes(items, varTypes, field, report, registered);
    checkArgumentVariables(items, roleVarSpecs, field, report);
    checkComparisons(items, varTypes, field, report);
    checkIncludes(items, field, targets, report);
    checkNestedLoopVars(items, field, bindings.taskFiles, report);
    // An imported role keeps its own: what runs under --tags is its author's choice.
    if (house) checkIncludeTags(items, field, bindings.taskFiles, report);
  }
  checkTaskList(handlers, 'handlers', report);
  if (house) checkShadowing(handlers, roleVars, 'handlers', report);
  checkComparisons(handlers, varTypes, 'handlers', report);
  checkArgumentVariables(handlers, roleVarSpecs, 'handlers', report);
  checkIncludes(handlers, 'handlers', targets, report);
}

export function renderRole(
  src: RoleSource,
  inventoryVars: ReadonlySet<string>,
  problems: Problems,
  roles: ReadonlyMap<string, RoleFileNames> = new Map(),
  example?: unknown,
): OutFiles {
  const { role, file } = src;
  const def = role.definition;
  const files: OutFiles = new Map();
  const base = `roles/${def.name}`;

  const house = def.houseStyle !== false;
  checkNames(def, file, problems);
  const defaults = plain(Object.fromEntries(Object.entries(def.vars).map(([k, v]) => [k, v.default]))) as Record<
    string,
    unknown
  >;
  checkOptions(varOptionSpecs(def.vars), defaults, 'vars', (f, m) => {
    problems.add(file, `${f}.default`, m);
  });

  const varsFiles = Object.entries(def.varsFiles ?? {});

  const refs = refsFor(def.name, def.vars);
  const tasks = catchUndeclared(problems, file, 'tasks', () => def.tasks(refs), []);
  const handlers = catchUndeclared(problems, file, 'handlers', () => def.handlers?.(refs) ?? [], []);
  const bindings = roleBindings(def, refs, (field, f, fallback) => catchUndeclared(problems, file, field, f, fallback));

  const templatesDir = path.join(src.dir, 'templates');
  const filesDir = path.join(src.dir, 'files');
  const templateNames = filesUnder(templatesDir);
  // Each template read once: the secret, item, include and undeclared-read checks all use it.
  const templateText = new Map(templateNames.map((n) => [n, fs.readFileSync(path.join(templatesDir, n), 'utf8')]));
  const fileNames = filesUnder(filesDir);

  // Tasks read what earlier tasks bound (renderTasks follows the order); handlers run after every
  // task; a template may be rendered by any task, in a loop too.
  const mainVars = Object.keys(def.varsFiles?.main ?? {});
  const known = new Set([...Object.keys(def.vars), ...mainVars, ...inventoryVars]);
  const afterTasks = boundNames(tasks, new Set(known), bindings);
  // A task file may be included from anywhere, in a loop too: it may read what the main tasks bind.
  const includeLoopVars = [...tasks, ...[...bindings.taskFiles.values()].flat()].flatMap((t) =>
    t.kind === 'task' && t.loop !== undefined && /include_tasks$/.test(t.call.spec.fqcn)
      ? [t.loop_control?.loop_var ?? 'item']
      : [],
  );
  const taskFileKnown = new Set([...afterTasks, ...includeLoopVars]);
  for (const items of bindings.taskFiles.values()) boundNames(items, taskFileKnown, bindings);
  const allVarsFileNames = varsFiles.flatMap(([, v]) => Object.keys(v));
  const templateKnown = new Set([
    ...boundNames(handlers, new Set(taskFileKnown), bindings),
    ...allVarsFileNames,
    'item',
  ]);
  // What each registered name holds, over the whole role (tasks, task files, handlers).
  const registered = registeredResults([...tasks, ...[...bindings.taskFiles.values()].flat(), ...handlers]);
  const scope: Scope = {
    file,
    problems,
    known,
    handlers: notifiable(handlers, def.name),
    houseStyle: house,
    bindings,
    knownFrom: `in role '${def.name}' (${file})`,
    templates: {
      text: templateText,
      registered: new Set(registered.keys()),
    },
  };
  const report = (f: string, m: string) => {
    problems.add(file, f, m);
  };
  // Defaults are templates too: a default may read another variable, which must exist.
  const valueSets: [string, unknown][] = [
    ...Object.entries(defaults).map(([k, v]): [string, unknown] => [`vars.${k}.default`, v]),
    ...varsFiles.flatMap(([n, values]) =>
      Object.entries(values).map(([k, v]): [string, unknown] => [`varsFiles.${n}.${k}`, plain(v)]),
    ),
  ];
  // Values are templated lazily, when a task reads them: they may read whatever the role binds.
  checkValueReads(valueSets, new Set([...templateKnown, ...allVarsFileNames]), house, scope.knownFrom, report);
  checkTaskLists(def, tasks, handlers, bindings, { own: roleFileNames(def), roles }, registered, report);
  const renderedTasks = renderTasks(scope, tasks, 'tasks');
  const renderedTaskFiles = [...bindings.taskFiles].map(
    ([n, items]) => [n, renderTasks({ ...scope, known: taskFileKnown }, items, `taskFiles.${n.slice(0, -4)}`)] as const,
  );
  const renderedHandlers = renderTasks({ ...scope, known: taskFileKnown }, handlers, 'handlers');

  const secretNames = derivedSecrets(
    Object.keys(def.vars).filter((k) => def.vars[k]!.secret),
    [defaults, ...varsFiles.map(([, v]) => plain(v) as Record<string, unknown>)],
    [renderedTasks, ...renderedTaskFiles.map(([, t]) => t), renderedHandlers],
  );

  const rendered = {
    file,
    problems,
    secretNames,
    templateText,
    registered,
    fileNames,
    itemDefined: includeLoopVars.includes('item'),
  };
  checkRenderedTasks(renderedTasks, 'tasks', rendered);
  for (const [n, items] of renderedTaskFiles) checkRenderedTasks(items, `taskFiles.${n.slice(0, -4)}`, rendered);
  checkRenderedTasks(renderedHandlers, 'handlers', rendered);

  checkTemplates(
    templateText,
    { registered, known: templateKnown, houseStyle: house, knownFrom: `in role '${def.name}' (${file})` },
    (name, field, message) => {
      problems.add(path.join(path.dirname(file), 'templates', name), field, message);
    },
  );
  copyRoleAssets(src.dir, base, templateText, fileNames, files);
  for (const name of def.originalMeta?.verbatim ?? []) {
    const from = path.join(src.dir, 'meta', name);
    if (fs.existsSync(from)) files.set(`${base}/meta/${name}`, fs.readFileSync(from));
    else
      problems.add(
        file,
        'originalMeta.verbatim',
        `meta/${name} is not beside the role source (${from}): copy it there or remove it from the list`,
      );
  }
  // A role of its own style says what it says: no platforms or tags of this project's filled in.
  const meta = house ? { ...DEFAULT_META, ...def.meta } : { ...DEFAULT_META, platforms: undefined, ...def.meta };
  files.set(`${base}/tasks/main.yml`, { yaml: renderedTasks });
  for (const [n, items] of renderedTaskFiles) files.set(`${base}/tasks/${n}`, { yaml: items });
  for (const [n, values] of varsFiles) files.set(`${base}/vars/${n}.yml`, { yaml: plain(values) });
  files.set(`${base}/handlers/main.yml`, { yaml: renderedHandlers });
  files.set(`${base}/defaults/main.yml`, {
    yaml: annotatedDefaults(def, defaults, house ? new Set() : specOptionNames(src.dir)),
  });
  for (const [p, doc] of roleMeta(def, meta, defaults, house)) files.set(`${base}/${p}`, { yaml: doc });
  const taskStrings = [renderedTasks, ...renderedTaskFiles.map(([, t]) => t), renderedHandlers].flatMap((t) => [
    ...strings(t, ''),
  ]);
  const texts = [
    ...valueSets.flatMap(([, v]) => [...strings(v, '')].map(([, t]) => t)),
    ...templateText.values(),
    ...taskStrings.map(([, x]) => x),
  ];
  if (house) checkUnread(def, texts, taskStrings, report);
  files.set(
    `${base}/README.md`,
    renderRoleReadme(def, defaults, {
      ...roleRequirements(texts, inventoryVars, new Set(Object.keys(def.vars)), defaults),
      example,
      license: meta.license,
    }),
  );
  return files;
}

/** Templates and files as they are, and the plugins a role carries (a module in library/, filters in
 * filter_plugins/...): Ansible finds them beside the role's tasks, so they travel with it unchanged. */
function copyRoleAssets(
  roleDir: string,
  base: string,
  templateText: ReadonlyMap<string, string>,
  fileNames: readonly string[],
  files: OutFiles,
): void {
  for (const [name, text] of templateText) files.set(`${base}/templates/${name}`, text);
  for (const name of fileNames) files.set(`${base}/files/${name}`, fs.readFileSync(path.join(roleDir, 'files', name)));
  for (const dir of ROLE_PLUGIN_DIRS)
    for (const name of filesUnder(path.join(roleDir, dir)))
      files.set(`${base}/${dir}/${name}`, fs.readFileSync(path.join(roleDir, dir, name)));
}

/** defaults/main.yml: each default with its description as the comment above it. */
/** The options of an imported role's argument specs as it came (meta/argument_specs.yml beside its source). */
function specOptionNames(dir: string): Set<string> {
  const file = path.join(dir, 'meta', 'argument_specs.yml');
  if (!fs.existsSync(file)) return new Set();
  const specs = parse(fs.readFileSync(file, 'utf8'), { version: '1.1' }) as {
    argument_specs?: Record<string, { options?: Record<string, unknown> } | null>;
  } | null;
  return new Set(Object.values(specs?.argument_specs ?? {}).flatMap((e) => Object.keys(e?.options ?? {})));
}

function annotatedDefaults(
  def: RoleDefinition<VarDecls>,
  defaults: Record<string, unknown>,
  specified: ReadonlySet<string>,
) {
  // A value no line can break (a cipher list, a URL) past yamllint's 160 columns: the directive
  // that lets that one line be (what the public roles write above such a line themselves).
  const unbreakable = (k: string) => {
    const v = defaults[k];
    return typeof v === 'string' && !/\s/.test(v) && k.length + v.length + 2 > 160;
  };
  // An imported role's inputs (read, never set, no default): named in a comment, where the role's
  // readers look and where a second import finds them (the first found them in its README or its
  // commented-out defaults). Those its argument specs name are documented there already.
  const inputs =
    def.houseStyle === false ? Object.entries(def.vars).filter(([k, v]) => !('default' in v) && !specified.has(k)) : [];
  return annotate(defaults, {
    ...(inputs.length
      ? {
          commentAfter: [INPUTS_HEADING, ...inputs.map(([k, v]) => `${k}: ${v.description ?? ''}`.trimEnd())].join(
            '\n',
          ),
        }
      : {}),
    keyComments: Object.fromEntries(
      Object.keys(defaults).flatMap((k) => {
        const lines = [def.vars[k]!.description, unbreakable(k) ? 'yamllint disable-line rule:line-length' : undefined];
        const text = lines.filter(Boolean).join('\n');
        return text ? [[k, text]] : [];
      }),
    ),
  });
}

/** A default or vars-file value reads only names the role knows when a task reads it. */
function checkValueReads(
  valueSets: readonly [string, unknown][],
  known: ReadonlySet<string>,
  house: boolean,
  knownFrom: string,
  report: (field: string, message: string) => void,
): void {
  for (const [field, v] of valueSets) {
    for (const [at, text] of strings(v, '')) {
      const scan = scanTemplate(text);
      for (const name of scan.reads) {
        if (scan.binds.has(name) || known.has(name) || isMagic(name)) continue;
        if (!house && scan.guarded?.has(name)) continue;
        report(`${field}${at ? `.${at}` : ''}`, undeclaredMessage(name, known, knownFrom));
      }
    }
  }
}

interface RenderedTaskContext {
  file: string;
  problems: Problems;
  secretNames: ReadonlySet<string>;
  templateText: ReadonlyMap<string, string>;
  registered: ReturnType<typeof registeredResults>;
  fileNames: readonly string[];
  /** A task file is included in a loop over `item`: its templates may read it. */
  itemDefined: boolean;
}

const readsItem = (template: string) => {
  const scan = scanTemplate(template);
  return scan.reads.has('item') && !scan.binds.has('item');
};

/**
 * Each rendered task (blocks included): no secret shown, registered results read as their module
 * returns them, and the templates and files it names exist next to the role source (a template
 * that reads `item` under a looping task only).
 */
function checkRenderedTasks(items: Record<string, unknown>[], field: string, c: RenderedTaskContext): void {
  const { file, problems, secretNames, templateText, registered, fileNames, itemDefined } = c;
  // The task's name in the field (`here`): messages then point at this task's line, not another's.
  // As Ansible runs it (`effective`): a keyword the task leaves out comes from its blocks.
  eachInherited(items, field, (t, here, effective) => {
    for (const [f, m] of secretExposureProblems(effective, secretNames, templateText))
      problems.add(file, `${here}.${f}`, m);
    for (const [at, text] of strings(t, ''))
      if (at !== 'name' && !/^(block|rescue|always)\b/.test(at))
        for (const m of registeredReadProblems(text, registered)) problems.add(file, `${here}.${at}`, m);
    for (const [mod, list, dir] of [
      ['ansible.builtin.template', [...templateText.keys()], 'templates'],
      ['ansible.builtin.copy', fileNames, 'files'],
    ] as const) {
      const written = (t[mod] as { src?: unknown } | undefined)?.src;
      // Ansible also finds `templates/x.j2` (a path from the role's root) in the role.
      const src = typeof written === 'string' ? written.replace(new RegExp(`^${dir}/`), '') : written;
      if (
        mod === 'ansible.builtin.template' &&
        typeof src === 'string' &&
        list.includes(src) &&
        !itemDefined &&
        !Object.keys(t).some((k) => k === 'loop' || k.startsWith('with_')) &&
        readsItem(templateText.get(src)!)
      )
        problems.add(
          file,
          `${here}.${mod}.src`,
          `templates/${src} reads 'item', but this task has no loop: it renders undefined there; loop the task or pass the value in the task's vars`,
        );
      if (typeof src === 'string' && !src.includes('{{') && !list.includes(src)) {
        problems.add(
          file,
          `${here}.${mod}.src`,
          `'${src}' not found in ${dir}/ next to the role source (have: ${list.join(', ') || 'none'})`,
        );
      }
    }
  });
}

/**
 * A declared variable that nothing in the role reads (tasks, conditions, templates, defaults, vars/
 * files): a value a user sets for it changes nothing, without a word. House style only.
 */
function checkUnread(
  def: RoleDefinition<VarDecls>,
  texts: readonly string[],
  taskStrings: readonly [string, string][],
  report: (field: string, message: string) => void,
): void {
  const read = new Set<string>();
  for (const text of texts) for (const n of scanTemplate(text).reads) read.add(n);
  // Conditions are bare expressions, without braces.
  for (const [at, text] of taskStrings)
    if (
      CONDITION_KEYS.has(
        at
          .replace(/\[\d+\]$/, '')
          .split('.')
          .pop() ?? '',
      )
    )
      for (const n of scanExpression(text).reads) read.add(n);
  for (const k of Object.keys(def.vars))
    if (!read.has(k))
      report(
        `vars.${k}`,
        `'${k}' is declared but nothing in the role reads it: a value set for it changes nothing; use it or remove it`,
      );
}
