// Ansible's keyword inheritance over emitted task lists, walked once for every check that reads an
// inherited keyword: a keyword a play or a block sets reaches each task in it that does not set its
// own (no_log on a block hides every task's arguments; check_mode on a play covers its commands).

/** The keywords the checks read through inheritance. */
export const INHERITED_KEYWORDS = ['no_log', 'diff', 'check_mode'] as const;

/** Where tasks nest: a block's lists, and a play's. */
const CHILD_LISTS = ['block', 'rescue', 'always', 'pre_tasks', 'tasks', 'post_tasks', 'handlers'] as const;

/**
 * Calls `visit` for every mapping of `items` and of the task lists nested in them, with its field
 * path (`tasks[2] 'Name'.block[0] 'Other'`) and the mapping as Ansible runs it: the inherited
 * keywords under its own.
 */
export function eachInherited(
  items: unknown,
  field: string,
  visit: (t: Readonly<Record<string, unknown>>, here: string, effective: Readonly<Record<string, unknown>>) => void,
  inherited: Readonly<Record<string, unknown>> = {},
): void {
  if (!Array.isArray(items)) return;
  items.forEach((x, i) => {
    if (!x || typeof x !== 'object') return;
    const t = x as Record<string, unknown>;
    const here = typeof t.name === 'string' ? `${field}[${i}] '${t.name}'` : `${field}[${i}]`;
    const effective = { ...inherited, ...t };
    visit(t, here, effective);
    const passed = Object.fromEntries(
      INHERITED_KEYWORDS.flatMap((k) => (effective[k] !== undefined ? [[k, effective[k]]] : [])),
    );
    for (const k of CHILD_LISTS) eachInherited(t[k], `${here}.${k}`, visit, passed);
  });
}
