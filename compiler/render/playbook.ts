// Renders a playbook: its plays, the roles they use (with checked variables) and their tasks.
import { isPlay, type Play, type Playbook, type PlaybookImport } from '../../dsl/playbook.js';
import { refsFor } from '../../dsl/role.js';
import { checkOptions } from '../check/args.js';
import type { Problems } from '../errors.js';
import { roleBindings, varOptionSpecs } from './role.js';
import { checkIncludes, type RoleFileNames } from '../check/includes.js';
import { spaced } from '../../lib/yaml-notes.js';
import { boundNames, conditionValue, notifiable, renderTasks, type Scope } from './tasks.js';
import { plain } from '../values.js';
import { isMagic, scanExpression, undeclaredMessage } from '../jinja-refs.js';
import { checkKeys } from '../check/keys.js';
import {
  checkTaskList,
  conditionStrings,
  playRolloutProblems,
  reservedNameProblem,
  tagProblem,
} from '../check/tasks.js';

const PLAY_SCALARS = [
  'hosts',
  'strategy',
  'become',
  'gather_facts',
  'serial',
  'any_errors_fatal',
  'max_fail_percentage',
  'no_log',
  'diff',
] as const;

function renderImport(
  entry: PlaybookImport,
  field: string,
  file: string,
  playbooks: ReadonlySet<string> | undefined,
  problems: Problems,
): Record<string, unknown> {
  const name = entry.import_playbook.name;
  if (playbooks && !playbooks.has(name))
    problems.add(
      file,
      `${field}.import_playbook`,
      `playbook '${name}' is not among the playbooks in playbooks/ (have: ${[...playbooks].sort().join(', ')})`,
    );
  for (const k of Object.keys(entry))
    if (!['import_playbook', 'when', 'tags', 'vars'].includes(k))
      problems.add(file, `${field}.${k}`, `unknown import_playbook key '${k}' (expected when, tags, vars)`);
  return {
    name: `Run ${name}: ${entry.import_playbook.description}`,
    'ansible.builtin.import_playbook': `${name}.yml`,
    ...(entry.when !== undefined ? { when: conditionValue(entry.when) } : {}),
    ...(entry.tags ? { tags: [...entry.tags] } : {}),
    ...(entry.vars ? { vars: plain(entry.vars) } : {}),
  };
}

/** `playbooks`: the project's playbooks by name, when imports are allowed (not in Molecule scenarios). */
export function renderPlaybook(
  pb: Playbook,
  file: string,
  inventoryVars: ReadonlySet<string>,
  knownRoles: ReadonlyMap<string, RoleFileNames>,
  problems: Problems,
  playbooks?: ReadonlySet<string>,
): unknown[] {
  // Registered results and facts outlive their play: later plays on the same hosts may read them.
  const boundEarlier = new Set<string>();
  return spaced(
    pb.plays.map((entry, pi): Record<string, unknown> => {
      if (!isPlay(entry)) {
        if (!playbooks)
          problems.add(file, `plays[${pi}]`, "import_playbook is for the project's playbooks; a scenario lists plays");
        return renderImport(entry, `plays[${pi}]`, file, playbooks, problems);
      }
      const play: Play = entry;
      const field = `plays[${pi}] '${play.name}'`;
      const out: Record<string, unknown> = { name: play.name };
      checkKeys('play', play, field, (f, m) => {
        problems.add(file, f, m);
      });
      if (!/^[A-Z0-9]/.test(play.name))
        problems.add(file, `${field}.name`, 'names start with an upper-case letter (ansible-lint name[casing])');
      for (const k of PLAY_SCALARS) if (play[k] !== undefined) out[k] = play[k];
      if (play.environment) out.environment = plain(play.environment);
      if (play.vars) out.vars = plain(play.vars);
      if (play.vars_files) out.vars_files = play.vars_files.map((f) => f.path);
      const taskLists = [play.pre_tasks ?? [], play.tasks ?? [], play.post_tasks ?? [], play.handlers ?? []];
      // A role's vars/main.yml is visible to the play after the role, like its defaults.
      const roleVars = (play.roles ?? []).flatMap((u) => [
        ...Object.keys(u.role.definition.vars),
        ...Object.keys(u.role.definition.varsFiles?.main ?? {}),
      ]);
      const known = new Set([
        ...Object.keys(play.vars ?? {}),
        ...(play.vars_files ?? []).flatMap((f) => f.provides),
        ...inventoryVars,
        ...roleVars,
        ...boundEarlier,
      ]);
      // In the order Ansible runs them: pre_tasks, roles, tasks, post_tasks, then handlers.
      const afterPre = boundNames(play.pre_tasks ?? [], new Set(known));
      const afterRoles = new Set(afterPre);
      for (const u of play.roles ?? []) {
        const refs = refsFor(u.role.definition.name, u.role.definition.vars);
        boundNames(u.role.definition.tasks(refs), afterRoles, roleBindings(u.role.definition, refs));
      }
      const afterTasks = boundNames(play.tasks ?? [], new Set(afterRoles));
      const afterPost = boundNames(play.post_tasks ?? [], new Set(afterTasks));
      boundNames(taskLists.flat(), boundEarlier);
      const scope: Scope = {
        file,
        problems,
        known,
        handlers: notifiable(play.handlers ?? []),
        knownFrom: "in the play's vars or vars_files, or in the inventory",
      };
      const report = (f: string, m: string) => {
        problems.add(file, f, m);
      };
      for (const [k, m] of playRolloutProblems(play)) report(`${field}.${k}`, m);
      const taskNames = new Map<string, string>();
      for (const key of ['pre_tasks', 'tasks', 'post_tasks', 'handlers'] as const) {
        if (key !== 'handlers') checkTaskList(play[key] ?? [], `${field}.${key}`, report, taskNames);
        checkIncludes(play[key] ?? [], `${field}.${key}`, { roles: knownRoles }, report);
      }
      checkTaskList(play.handlers ?? [], `${field}.handlers`, report);
      for (const k of Object.keys(play.vars ?? {})) {
        const p = reservedNameProblem(k);
        if (p) report(`${field}.vars.${k}`, p);
      }
      if (play.pre_tasks) out.pre_tasks = renderTasks(scope, play.pre_tasks, `${field}.pre_tasks`);
      if (play.roles) {
        out.roles = play.roles.map((u, ri) => {
          const name = u.role.definition.name;
          checkKeys('roleUse', u, `${field}.roles[${ri}]`, (f, m) => {
            problems.add(file, f, m);
          });
          if (!knownRoles.has(name))
            problems.add(file, `${field}.roles[${ri}]`, `role '${name}' is not among the roles in roles-src/`);
          // The condition applies to each of the role's tasks: it may read the role's own variables.
          for (const expression of conditionStrings(u.when)) {
            const scan = scanExpression(expression);
            const visible = new Set([...afterPre, ...Object.keys(u.role.definition.vars), ...Object.keys(u.vars)]);
            for (const n of scan.reads)
              if (!visible.has(n) && !isMagic(n) && !scan.guarded?.has(n))
                problems.add(
                  file,
                  `${field}.roles[${ri}] '${name}'.when`,
                  undeclaredMessage(n, visible, `${scope.knownFrom}, or in role '${name}'`),
                );
          }
          const vars = plain(u.vars) as Record<string, unknown>;
          checkOptions(varOptionSpecs(u.role.definition.vars), vars, `${field}.roles[${ri}] '${name}'.vars`, (f, m) => {
            problems.add(file, f, m);
          });
          // A literal given to a secret variable lands in out/ and in git: it must come from a secrets file or vault.
          for (const [k, v] of Object.entries(vars))
            if (u.role.definition.vars[k]?.secret && typeof v === 'string' && v !== '' && !v.includes('{{'))
              problems.add(
                file,
                `${field}.roles[${ri}] '${name}'.vars.${k}`,
                `a literal value for secret variable ${k} would be written into out/ and committed with the source; read it from the secrets file ('{{ pgha_... }}', playbooks/lib/secrets.ts) or an ansible-vault file`,
              );
          for (const tag of u.tags ?? []) {
            const p = tagProblem(tag);
            if (p) problems.add(file, `${field}.roles[${ri}] '${name}'.tags`, p);
          }
          return {
            role: name,
            ...(u.when !== undefined ? { when: conditionValue(u.when) } : {}),
            ...(u.tags ? { tags: [...u.tags] } : {}),
            ...(Object.keys(vars).length ? { vars } : {}),
          };
        });
      }
      if (play.tasks) out.tasks = renderTasks({ ...scope, known: afterRoles }, play.tasks, `${field}.tasks`);
      if (play.post_tasks)
        out.post_tasks = renderTasks({ ...scope, known: afterTasks }, play.post_tasks, `${field}.post_tasks`);
      if (play.handlers) out.handlers = renderTasks({ ...scope, known: afterPost }, play.handlers, `${field}.handlers`);
      for (const tag of play.tags ?? []) {
        const p = tagProblem(tag);
        if (p) problems.add(file, `${field}.tags`, p);
      }
      if (play.tags) out.tags = [...play.tags];
      return out;
    }),
  );
}
