// Tasks, blocks and handlers.
import type { Condition, Val } from './jinja.js';
import type { ModuleCall } from './module.js';
import { metaSpec } from './modules/meta.generated.js';

export interface TaskOptions {
  when?: Condition | readonly Condition[];
  loop?: Val<readonly unknown[]>;
  loop_control?: { loop_var?: string; label?: string; index_var?: string };
  register?: string;
  notify?: readonly (Handler | string)[];
  become?: Val<boolean>;
  become_user?: string;
  tags?: readonly string[];
  changed_when?: Condition | readonly Condition[];
  failed_when?: Condition | readonly Condition[];
  until?: Condition;
  retries?: Val<number>;
  delay?: Val<number>;
  no_log?: Val<boolean>;
  /** false: `--diff` shows nothing of what this task changes (a rendered secret, say). */
  diff?: Val<boolean>;
  run_once?: Val<boolean>;
  delegate_to?: string;
  check_mode?: Val<boolean>;
  ignore_errors?: Val<boolean>;
  throttle?: number;
  /** Run in the background for at most this many seconds; `poll` 0 fires and forgets. */
  async?: number;
  poll?: number;
  environment?: Readonly<Record<string, string>>;
  vars?: Readonly<Record<string, unknown>>;
  /** Written as a `#` comment above the task in the emitted YAML: say why, not what. */
  comment?: string;
  /** ansible-lint rules to skip on this task alone (`# noqa: rule` on its name line). */
  noqa?: readonly string[];
}

export interface Task extends TaskOptions {
  readonly kind: 'task';
  readonly name: string;
  readonly call: ModuleCall;
}

export interface BlockOptions {
  when?: Condition | readonly Condition[];
  become?: boolean;
  become_user?: string;
  tags?: readonly string[];
  rescue?: readonly TaskItem[];
  always?: readonly TaskItem[];
  comment?: string;
}

export interface Block extends BlockOptions {
  readonly kind: 'block';
  readonly name: string;
  readonly block: readonly TaskItem[];
}

export type TaskItem = Task | Block;

export interface Handler extends Omit<TaskOptions, 'notify' | 'loop' | 'loop_control'> {
  readonly kind: 'handler';
  readonly name: string;
  readonly call: ModuleCall;
  listen?: string;
}

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
