// Check mode (`npm run plan`, `ansible-playbook --check`) skips a command (command, shell, raw,
// script) unless it says `check_mode: false`; a task that reads its registered result then reads a
// skipped one, and the plan guesses. A command whose result other tasks read says which it is:
// read-only (`check_mode: false`: it runs in check mode too, and the plan is exact), or what it
// does in check mode (`inCheckMode`, written above the task, for a command that changes the host).
import { notesOf } from '../../lib/yaml-notes.js';
import { scanExpression, scanTemplate } from '../jinja-refs.js';
import type { JinjaText } from './jinja-syntax.js';
import { eachInherited } from './inheritance.js';

/** How an `inCheckMode` statement starts in the comment above its task. */
export const CHECK_MODE_NOTE = 'In check mode:';

/** The commands check mode skips (an HTTP call with uri too: the roles' reads say check_mode: false one by one). */
const COMMANDS = /^(ansible\.builtin\.|ansible\.legacy\.)?(command|shell|raw|script)$/;

interface CommandTask {
  field: string;
  register: string;
}

/** Command tasks that register a result and say nothing of check mode, with their field paths (as jinjaTexts names them). */
export function silentCommands(doc: unknown, prefix: string): CommandTask[] {
  const out: CommandTask[] = [];
  // check_mode on a block or a play covers the tasks in it that do not set their own.
  eachInherited(doc, prefix, (t, here, effective) => {
    const stated = notesOf(t)?.commentBefore?.includes(CHECK_MODE_NOTE);
    if (
      typeof t.register === 'string' &&
      Object.keys(t).some((k) => COMMANDS.test(k)) &&
      effective.check_mode === undefined &&
      !stated
    )
      out.push({ field: `${here}.register`, register: t.register });
  });
  return out;
}

/** Each text's reads, scanned once however many commands ask. */
const readsOf = new WeakMap<JinjaText, ReadonlySet<string>>();
const reads = (t: JinjaText) => {
  let r = readsOf.get(t);
  if (!r) readsOf.set(t, (r = (t.expression ? scanExpression(t.text) : scanTemplate(t.text)).reads));
  return r;
};

/** Whether a text other than the registering task's own reads `name`. */
export function readElsewhere(name: string, taskField: string, texts: readonly JinjaText[]): boolean {
  const own = taskField.replace(/\.register$/, '');
  return texts.some((t) => !(t.field === own || t.field.startsWith(`${own}.`)) && reads(t).has(name));
}

export const silentCommandMessage = (register: string) =>
  `runs a command and registers '${register}', which other tasks read, and says nothing of check mode: there (npm run plan, --check) Ansible skips it and they read a skipped result. ` +
  `A command that only reads: check_mode: false and changed_when: false (the plan is then exact); one that changes the host: inCheckMode: '<what it does then>', and its readers must take a skipped result`;
