// Plays and playbooks.
import type { When } from './jinja.js';
import type { RoleUse } from './role.js';
import type { Handler, TaskItem } from './task.js';

export interface VarsFile {
  path: string;
  provides: readonly string[];
}

export interface Play {
  name: string;
  hosts: string;
  become?: boolean;
  gather_facts?: boolean;
  serial?: number | string;
  any_errors_fatal?: boolean;
  max_fail_percentage?: number;
  strategy?: 'linear' | 'free' | 'host_pinned' | 'debug';
  /** Hides every task's arguments and results in the play (its tasks inherit it unless they set their own). */
  no_log?: boolean;
  /** false: no task of the play shows a diff under --diff (its tasks inherit it unless they set their own). */
  diff?: boolean;
  environment?: Readonly<Record<string, string>>;
  vars?: Readonly<Record<string, unknown>>;
  /** Variable files loaded at run time, with the names each provides (checked like declared vars). */
  vars_files?: readonly VarsFile[];
  pre_tasks?: readonly TaskItem[];
  roles?: readonly RoleUse[];
  tasks?: readonly TaskItem[];
  post_tasks?: readonly TaskItem[];
  handlers?: readonly Handler[];
  tags?: readonly string[];
}

/** `import_playbook`: runs another playbook of the project at this point. */
export interface PlaybookImport {
  readonly import_playbook: Playbook;
  readonly when?: When;
  readonly tags?: readonly string[];
  readonly vars?: Readonly<Record<string, unknown>>;
}

export type PlayEntry = Play | PlaybookImport;

export function importPlaybook(pb: Playbook, options: Omit<PlaybookImport, 'import_playbook'> = {}): PlaybookImport {
  return { import_playbook: pb, ...options };
}

export function isPlay(entry: PlayEntry): entry is Play {
  return !('import_playbook' in entry);
}

export interface Playbook {
  readonly kind: 'playbook';
  /** Output file name without extension: out/<name>.yml */
  readonly name: string;
  readonly description: string;
  readonly plays: readonly PlayEntry[];
  /** Written as a comment at the top of the emitted playbook (what it does, what it will change). */
  readonly summary?: string;
}

/** A playbook, written as a role is (`defineRole({ name, ... })`): one object, its fields named. */
export function playbook(definition: Omit<Playbook, 'kind'>): Playbook {
  return { kind: 'playbook', ...definition };
}
