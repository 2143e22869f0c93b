// Tasks, blocks and handlers.
import type { Condition, Val, When } from './jinja.js';
import type { ModuleCall } from './module.js';
import { metaSpec } from './modules/meta.generated.js';

/** Keywords a task and a block share (Ansible's Base, Conditional, Taggable and Become keywords). */
export interface CommonOptions {
  when?: When;
  become?: Val<boolean>;
  become_user?: string;
  become_method?: string;
  become_flags?: string;
  tags?: readonly string[];
  no_log?: Val<boolean>;
  /** false: `--diff` shows nothing of what this task changes (a rendered secret, say). */
  diff?: Val<boolean>;
  run_once?: Val<boolean>;
  delegate_to?: string;
  delegate_facts?: Val<boolean>;
  check_mode?: Val<boolean>;
  ignore_errors?: Val<boolean>;
  ignore_unreachable?: Val<boolean>;
  any_errors_fatal?: Val<boolean>;
  throttle?: Val<number>;
  timeout?: Val<number>;
  remote_user?: string;
  connection?: string;
  environment?: Val<Readonly<Record<string, string>>>;
  module_defaults?: Readonly<Record<string, unknown>>;
  vars?: Readonly<Record<string, unknown>>;
  /** Handlers (or `listen` topics) notified when this changes something; on a block, by each of its tasks. */
  notify?: readonly (Handler | string)[];
  /** Written as a `#` comment above the task in the emitted YAML: say why, not what. */
  comment?: string;
}

/**
 * A loop over any lookup plugin, as Ansible's `with_<lookup>` keyword writes it: `{ lookup: 'dict',
 * terms: '{{ users }}' }` is `with_dict: "{{ users }}"`. For a plain list, prefer `loop`.
 */
export interface LookupLoop {
  lookup: string;
  terms: unknown;
}

export interface TaskOptions extends CommonOptions {
  /**
   * Arguments beside a module's free-form words (`raw: cmd` with `args: { executable }`): an
   * imported role's form, kept as written (a mapping with _raw_params is what ansible-lint's
   * no-free-form rule refuses for raw).
   */
  args?: Readonly<Record<string, unknown>>;
  loop?: Val<readonly unknown[]>;
  with?: LookupLoop;
  loop_control?: {
    loop_var?: string;
    label?: string;
    index_var?: string;
    pause?: Val<number>;
    extended?: Val<boolean>;
  };
  register?: string;
  changed_when?: Condition | readonly Condition[];
  failed_when?: Condition | readonly Condition[];
  until?: Condition | readonly Condition[];
  retries?: Val<number>;
  delay?: Val<number>;
  /** Run in the background for at most this many seconds; `poll` 0 fires and forgets. */
  async?: Val<number>;
  poll?: Val<number>;
  /** ansible-lint rules to skip on this task alone (`# noqa: rule` on its name line). */
  noqa?: readonly string[];
  /**
   * What this command task does in check mode (`npm run plan`, `--check`), where Ansible skips it
   * and tasks reading its registered result see a skipped one: written above the task. A command
   * that only reads says `check_mode: false` (and `changed_when: false`) instead.
   */
  inCheckMode?: string;
}

export interface Task extends TaskOptions {
  readonly kind: 'task';
  readonly name: string;
  readonly call: ModuleCall;
}

export interface BlockOptions extends CommonOptions {
  rescue?: readonly TaskItem[];
  always?: readonly TaskItem[];
}

export interface Block extends BlockOptions {
  readonly kind: 'block';
  readonly name: string;
  readonly block: readonly TaskItem[];
}

export type TaskItem = Task | Block;

/** A handler takes every task keyword (a loop; `notify` to chain another handler) and `listen` topics. */
export interface Handler extends TaskOptions {
  readonly kind: 'handler';
  readonly name: string;
  readonly call: ModuleCall;
  listen?: string | readonly string[];
}

/**
 * Every keyword the DSL carries, in the order the emitted YAML writes them (after `name` and the
 * module; a block's `block`, `rescue` and `always` come last). The compile-time checks below fail
 * when an option is added to the types but not here, so no option is ever dropped from the output.
 */
export const TASK_KEYWORDS = [
  'args',
  'loop',
  'with',
  'loop_control',
  'when',
  'become',
  'become_user',
  'become_method',
  'become_flags',
  'remote_user',
  'connection',
  'delegate_to',
  'delegate_facts',
  'run_once',
  'throttle',
  'timeout',
  'environment',
  'module_defaults',
  'vars',
  'async',
  'poll',
  'register',
  'until',
  'retries',
  'delay',
  'changed_when',
  'failed_when',
  'ignore_errors',
  'ignore_unreachable',
  'any_errors_fatal',
  'check_mode',
  'no_log',
  'diff',
  'notify',
  'listen',
  'tags',
] as const satisfies readonly (keyof TaskOptions | 'listen')[];

/** Options that are not YAML keys: comments on the emitted task. */
export const TASK_ANNOTATIONS = ['comment', 'noqa', 'inCheckMode'] as const satisfies readonly (keyof TaskOptions)[];

/** Keywords only a task takes: a block has no module to loop over, register, retry or time. */
export const TASK_ONLY_KEYWORDS = [
  'args',
  'loop',
  'with',
  'loop_control',
  'register',
  'until',
  'retries',
  'delay',
  'changed_when',
  'failed_when',
  'async',
  'poll',
  'listen',
] as const satisfies readonly (Exclude<keyof TaskOptions, keyof CommonOptions> | 'listen')[];

/** A block's keywords (its task lists apart), in the emitted order. */
export const BLOCK_KEYWORDS: readonly (keyof CommonOptions)[] = TASK_KEYWORDS.filter(
  (k): k is Exclude<(typeof TASK_KEYWORDS)[number], (typeof TASK_ONLY_KEYWORDS)[number]> =>
    !(TASK_ONLY_KEYWORDS as readonly string[]).includes(k),
);

type Listed = (typeof TASK_KEYWORDS)[number] | (typeof TASK_ANNOTATIONS)[number];
/** Compile-time: true only when every task option is listed above. */
export const EVERY_TASK_OPTION_LISTED: [Exclude<keyof TaskOptions, Listed>] extends [never] ? true : never = true;
/** Compile-time: true only when every task-only option is listed as such. */
export const EVERY_TASK_ONLY_OPTION_LISTED: [
  Exclude<keyof TaskOptions, keyof CommonOptions | 'noqa' | 'inCheckMode' | (typeof TASK_ONLY_KEYWORDS)[number]>,
] extends [never]
  ? true
  : never = true;

export function task(name: string, call: ModuleCall, options: TaskOptions = {}): Task {
  return { kind: 'task', name, call, ...options };
}

export function block(name: string, tasks: readonly TaskItem[], options: BlockOptions = {}): Block {
  return { kind: 'block', name, block: tasks, ...options };
}

export function handler(
  name: string,
  call: ModuleCall,
  options: Omit<Handler, 'kind' | 'name' | 'call'> = {},
): Handler {
  return { kind: 'handler', name, call, ...options };
}

/** `meta: flush_handlers`: run the handlers notified so far, here rather than at the play's end. */
export function flushHandlers(name = 'Apply configuration changes now'): Task {
  return task(name, { kind: 'module', spec: metaSpec, args: 'flush_handlers' });
}
