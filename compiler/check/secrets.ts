// A task that handles a secret variable hides it: a template that renders one shows nothing under
// --diff (diff: false), a module that takes one as an argument, or a loop over one, prints nothing
// on failure or at -vvv (no_log: true). What no_log does not hide is refused outright: the task's
// name heads every run's output, and -vvv prints the command that starts the module with the
// task's environment on it (K=value python3 ...). Assertions only evaluate their conditions.
import { scanTemplate } from '../jinja-refs.js';
import { strings } from '../values.js';
import { eachInherited, INHERITED_KEYWORDS } from './inheritance.js';

/** Problems of one emitted task (a rendered mapping), as [field under the task, message]. */
export function secretExposureProblems(
  t: Readonly<Record<string, unknown>>,
  secretNames: ReadonlySet<string>,
  templateText: ReadonlyMap<string, string>,
): [string, string][] {
  const out: [string, string][] = [];
  const secretsIn = (text: string) => [...scanTemplate(text).reads].filter((n) => secretNames.has(n));
  const reads = (v: unknown) => [...new Set([...strings(v, '')].flatMap(([, text]) => secretsIn(text)))];
  const plural = (names: string[]) => `variable${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
  for (const [key, why] of [
    ['name', "a task's name is printed on every run, no_log or not; name the task without it"],
    [
      'environment',
      '-vvv prints the environment on the command that starts the module, no_log or not; pass it as a module argument (with no_log: true) or in a file',
    ],
  ] as const) {
    const shown = reads(t[key]);
    if (shown.length) out.push([key, `reads secret variable ${shown.join(', ')}: ${why}`]);
  }
  if (t.no_log === true) return out;
  const looped = reads(Object.fromEntries(Object.entries(t).filter(([k]) => k === 'loop' || k.startsWith('with_'))));
  if (looped.length)
    out.push([
      'no_log',
      `loops over secret variable ${looped.join(', ')}: each item is printed as the loop runs; set no_log: true`,
    ]);
  const module = Object.keys(t).find((k) => k.includes('.') && typeof t[k] === 'object');
  if (!module || module === 'ansible.builtin.assert') return out;
  const args = t[module];
  const shown = reads(args);
  if (shown.length)
    out.push([
      'no_log',
      `passes secret ${plural(shown)} to ${module}, whose arguments a failure or -vvv prints; set no_log: true`,
    ]);
  const src = (args as { src?: unknown }).src;
  const text = typeof src === 'string' ? templateText.get(src) : undefined;
  if (module === 'ansible.builtin.template' && text !== undefined && t.diff !== false) {
    const rendered = secretsIn(text);
    if (rendered.length)
      out.push([
        'diff',
        `renders secret ${plural(rendered)} from templates/${String(src)}, which --diff would print; set diff: false`,
      ]);
  }
  return out;
}

/**
 * The declared secrets and what carries one under another name: a variable whose default reads a
 * secret, a vars/ entry, a fact set with set_fact or a task's own `vars` whose value reads one is a
 * secret too (its value is the secret, or holds it), until nothing more is found.
 */
export function derivedSecrets(
  declared: Iterable<string>,
  /** The role's defaults and its vars/ files. */
  values: readonly Readonly<Record<string, unknown>>[],
  renderedTasks: readonly unknown[],
): Set<string> {
  const secrets = new Set(declared);
  const assignments: [string, unknown][] = values.flatMap((v) => Object.entries(v));
  const visit = (t: unknown): void => {
    if (Array.isArray(t)) {
      t.forEach(visit);
      return;
    }
    if (!t || typeof t !== 'object') return;
    const task = t as Record<string, unknown>;
    const facts = task['ansible.builtin.set_fact'];
    if (facts && typeof facts === 'object') assignments.push(...Object.entries(facts));
    if (task.vars && typeof task.vars === 'object') assignments.push(...Object.entries(task.vars));
    for (const k of ['block', 'rescue', 'always']) visit(task[k]);
  };
  visit(renderedTasks);
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, value] of assignments)
      if (
        !secrets.has(name) &&
        [...strings(value, '')].some(([, text]) => [...scanTemplate(text).reads].some((n) => secrets.has(n)))
      ) {
        secrets.add(name);
        grew = true;
      }
  }
  return secrets;
}

/**
 * Problems of a play's own tasks (pre_tasks, tasks, post_tasks, handlers, blocks in them), as
 * [field under the play, message]: a play's task reads the roles' variables as theirs do, so it
 * hides a secret the same way. Keywords the play and the enclosing blocks set count for the task.
 */
export function playSecretProblems(
  play: Readonly<Record<string, unknown>>,
  roleSecrets: ReadonlySet<string>,
): [string, string][] {
  const lists = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'].filter((k) => Array.isArray(play[k]));
  const secrets = derivedSecrets(
    roleSecrets,
    [(play.vars ?? {}) as Record<string, unknown>],
    lists.map((k) => play[k]),
  );
  const out: [string, string][] = [];
  const fromPlay = Object.fromEntries(INHERITED_KEYWORDS.flatMap((k) => (play[k] !== undefined ? [[k, play[k]]] : [])));
  for (const k of lists)
    eachInherited(
      play[k],
      k,
      (_t, here, effective) => {
        for (const [f, m] of secretExposureProblems(effective, secrets, new Map())) out.push([`${here}.${f}`, m]);
      },
      fromPlay,
    );
  return out;
}
