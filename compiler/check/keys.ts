// Unknown keys on tasks, blocks, handlers, plays and role uses. TypeScript catches them in an
// object literal, but not in an object built elsewhere (`const opts = {...}; task('x', m, opts)`):
// a misspelt `whenn` would otherwise vanish without a word.
import { closest } from '../../dsl/closest.js';
import { BLOCK_KEYWORDS, TASK_ANNOTATIONS, TASK_KEYWORDS } from '../../dsl/task.js';

type Report = (field: string, message: string) => void;

/** The task keywords the DSL takes as task options (one list, in dsl/task.ts). */
export const TASK_OPTIONS = [...TASK_KEYWORDS.filter((k) => k !== 'listen'), ...TASK_ANNOTATIONS];
const BLOCK = [...BLOCK_KEYWORDS, 'rescue', 'always', 'comment'];
/** The play keywords the DSL's Play carries. */
export const PLAY_KEYS = [
  'name',
  'hosts',
  'become',
  'gather_facts',
  'serial',
  'any_errors_fatal',
  'max_fail_percentage',
  'strategy',
  'no_log',
  'diff',
  'environment',
  'vars',
  'vars_files',
  'pre_tasks',
  'roles',
  'tasks',
  'post_tasks',
  'handlers',
  'tags',
] as const;

/** Keys each kind of object may carry, besides what the DSL's constructors add themselves. */
export const ALLOWED_KEYS = {
  task: new Set<string>(['kind', 'name', 'call', ...TASK_OPTIONS]),
  block: new Set<string>(['kind', 'name', 'block', ...BLOCK]),
  handler: new Set<string>(['kind', 'name', 'call', 'listen', ...TASK_OPTIONS]),
  play: new Set<string>(PLAY_KEYS),
  roleUse: new Set<string>(['role', 'vars', 'tags', 'when']),
} as const;

export function checkKeys(kind: keyof typeof ALLOWED_KEYS, value: object, field: string, report: Report): void {
  const allowed = ALLOWED_KEYS[kind];
  for (const [key, v] of Object.entries(value)) {
    if (allowed.has(key) || v === undefined) continue;
    const near = closest(key, allowed);
    const shown = [...allowed].filter((k) => !['kind', 'call', 'block', 'name'].includes(k)).join(', ');
    report(
      `${field}.${key}`,
      `unknown ${kind === 'roleUse' ? 'role use' : kind} key '${key}'${near ? `; did you mean '${near}'?` : ''} (expected one of ${shown})`,
    );
  }
}
