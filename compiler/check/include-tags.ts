// Tags on a dynamic include (include_tasks) select the include, not the tasks it brings in: with
// `--tags x` Ansible runs the include and then skips each included task that is not tagged x itself.
// `apply: { tags }` passes them on; import_tasks (static) gives its tags to every task. A silent
// mistake: the run succeeds having done nothing of the file.
import type { Handler, TaskItem } from '../../dsl/task.js';

type Report = (field: string, message: string) => void;

const yml = (f: string) => (f.endsWith('.yml') || f.endsWith('.yaml') ? f : `${f}.yml`);

/** Names of the tasks in `items` (blocks' included) that do not carry every tag of `tags` (or 'always'). */
function untagged(items: readonly TaskItem[], tags: readonly string[], inherited: readonly string[] = []): string[] {
  return items.flatMap((t) => {
    const own = [...inherited, ...(t.tags ?? [])];
    if (t.kind === 'block')
      return [...t.block, ...(t.rescue ?? []), ...(t.always ?? [])].flatMap((x) => untagged([x], tags, own));
    return own.includes('always') || tags.every((g) => own.includes(g)) ? [] : [t.name];
  });
}

export function checkIncludeTags(
  items: readonly (TaskItem | Handler)[],
  field: string,
  taskFiles: ReadonlyMap<string, readonly TaskItem[]>,
  report: Report,
  inherited: readonly string[] = [],
): void {
  items.forEach((t, i) => {
    const here = `${field}[${i}] '${t.name}'`;
    const tags = [...inherited, ...((t as { tags?: readonly string[] }).tags ?? [])];
    if (t.kind === 'block') {
      for (const k of ['block', 'rescue', 'always'] as const)
        checkIncludeTags(t[k] ?? [], `${here}.${k}`, taskFiles, report, tags);
      return;
    }
    if (t.call.spec.fqcn !== 'ansible.builtin.include_tasks' || tags.length === 0 || tags.includes('always')) return;
    const args = typeof t.call.args === 'string' ? { file: t.call.args } : t.call.args;
    const apply = args.apply as { tags?: unknown } | undefined;
    if (apply && typeof apply === 'object' && apply.tags !== undefined) return;
    const file = args.file ?? args['free-form'];
    const included = typeof file === 'string' && !file.includes('{{') ? taskFiles.get(yml(file)) : undefined;
    const missing = included ? untagged(included, tags) : undefined;
    if (missing?.length === 0) return;
    const which = missing
      ? `none of ${missing.map((n) => `'${n}'`).join(', ')} in tasks/${yml(String(file))}`
      : `skips every task of ${String(file)} not tagged so itself`;
    report(
      `${here}.tags`,
      `tags on include_tasks select the include only: --tags ${tags.join(',')} runs it but ${which}; add apply: { tags: ${JSON.stringify(tags)} }, or use import_tasks, whose tags reach every task`,
    );
  });
}
