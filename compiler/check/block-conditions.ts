// A block's `when` is checked again before each of its tasks (Ansible's keyword inheritance): a
// task inside that sets a variable the condition reads (set_fact, register) decides whether the
// tasks after it run. Written to open a port once, it skipped the rest of the block: the first
// deploy never opened etcd to the network. Refused with the way out.
import { scanExpression } from '../jinja-refs.js';

export interface BlockConditionProblem {
  field: string;
  message: string;
}

const names = (t: Record<string, unknown>): string[] => {
  const out = typeof t.register === 'string' ? [t.register] : [];
  const fact = (t['ansible.builtin.set_fact'] ?? t.set_fact) as Record<string, unknown> | undefined;
  if (fact && typeof fact === 'object') out.push(...Object.keys(fact).filter((k) => k !== 'cacheable'));
  return out;
};

const reads = (when: unknown): Set<string> => {
  const out = new Set<string>();
  for (const c of Array.isArray(when) ? when : [when])
    if (typeof c === 'string') for (const n of scanExpression(c).reads) out.add(n);
  return out;
};

const SECTIONS = ['block', 'rescue', 'always'] as const;

/** A block's tasks depth first, nested blocks' included, each with its field path. */
function flatten(t: Record<string, unknown>, at: string): { task: Record<string, unknown>; field: string }[] {
  return SECTIONS.flatMap((k) =>
    Array.isArray(t[k])
      ? (t[k] as unknown[]).flatMap((x, i) => {
          if (!x || typeof x !== 'object') return [];
          const s = x as Record<string, unknown>;
          const field = `${at}.${k}[${i}]${typeof s.name === 'string' ? ` '${s.name}'` : ''}`;
          return [{ task: s, field }, ...flatten(s, field)];
        })
      : [],
  );
}

/** Tasks that set what their block's condition reads, with more of that block to run after them. */
export function blockConditionProblems(doc: unknown, prefix: string): BlockConditionProblem[] {
  const out: BlockConditionProblem[] = [];
  const visit = (items: unknown, at: string): void => {
    if (!Array.isArray(items)) return;
    items.forEach((x, i) => {
      if (!x || typeof x !== 'object') return;
      const t = x as Record<string, unknown>;
      const here = `${at}[${i}]${typeof t.name === 'string' ? ` '${t.name}'` : ''}`;
      const read = Array.isArray(t.block) ? reads(t.when) : new Set<string>();
      if (read.size) {
        const tasks = flatten(t, here);
        tasks.slice(0, -1).forEach(({ task, field }) => {
          for (const n of names(task).filter((x) => read.has(x)))
            out.push({
              field: `${field}.${task.register === n ? 'register' : 'set_fact'}`,
              message: `sets '${n}', which the condition of its block '${typeof t.name === 'string' ? t.name : ''}' reads: Ansible checks a block's when again before each of its tasks, so the tasks after this one run or not by the new value. Give the block a condition of its own, set before it`,
            });
        });
      }
      for (const k of [...SECTIONS, 'pre_tasks', 'tasks', 'post_tasks', 'handlers']) visit(t[k], `${here}.${k}`);
    });
  };
  visit(doc, prefix);
  return out;
}
