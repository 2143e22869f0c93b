// npm run plan: what a playbook would change, per host, before it runs. The playbook runs in
// check mode with diffs (`--check --diff`) and Ansible's JSON callback; each host's result is
// sorted into what would change (with its diff, never a no_log task's), the handlers those changes
// would run (a restart or reload: listed apart, as what follows), what cannot be known in check
// mode (a command Ansible skips there: listed, never counted as unchanged) and what failed.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { ansibleEnv, ansibleTool, mitogenEnv, PROJECT_ROOT } from '../lib/python-env.js';
import { ensureSecrets, secretsPath } from './secrets.js';

export interface PlannedTask {
  play: string;
  task: string;
  /** The change as a unified-style text (files, settings); empty where Ansible gives none. */
  diff: string;
}

export interface HostPlan {
  changes: PlannedTask[];
  /** Handlers the changes notify, which would run after them (restarts, reloads). */
  handlers: PlannedTask[];
  /** Skipped because check mode cannot run them (a command): their effect is not known. */
  unknown: (PlannedTask & { why: string })[];
  failed: (PlannedTask & { message: string })[];
  unreachable: boolean;
}

export type Plan = Record<string, HostPlan>;

interface AnsibleResult {
  changed?: boolean;
  skipped?: boolean;
  failed?: boolean;
  unreachable?: boolean;
  msg?: unknown;
  skip_reason?: string;
  diff?: unknown;
  results?: AnsibleResult[];
  _ansible_no_log?: boolean;
}

interface JsonCallbackOutput {
  plays: { play: { name: string }; tasks: { task: { name: string }; hosts: Record<string, AnsibleResult> }[] }[];
  stats: Record<string, { unreachable?: number }>;
}

/** Check mode says so when it skips what it cannot simulate. */
const CHECK_MODE_SKIP = /check mode/i;

function diffText(d: unknown, hidden: boolean): string {
  if (hidden) return '(hidden: no_log)';
  const one = (x: unknown): string => {
    if (!x || typeof x !== 'object') return '';
    const { before, after, before_header, after_header, prepared } = x as Record<string, unknown>;
    if (typeof prepared === 'string') return prepared.trimEnd();
    if (before === undefined && after === undefined) return '';
    const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2)).split('\n');
    const [b, a] = [show(before ?? ''), show(after ?? '')];
    // Only the lines that differ, each side's in order: enough to read a setting or a file's change.
    const gone = b.filter((l) => !a.includes(l)).map((l) => `- ${l}`);
    const came = a.filter((l) => !b.includes(l)).map((l) => `+ ${l}`);
    const header = [before_header, after_header].filter((h) => typeof h === 'string').join(' -> ');
    return [header ? `@@ ${header}` : '', ...gone, ...came].filter(Boolean).join('\n');
  };
  return (Array.isArray(d) ? d.map(one) : [one(d)]).filter(Boolean).join('\n');
}

const message = (r: AnsibleResult) =>
  (typeof r.msg === 'string' ? r.msg : r.msg === undefined ? '' : JSON.stringify(r.msg)).split('\n')[0] ?? '';

/**
 * The names Ansible prints for a playbook's handlers: its plays' own, and `role : name` for those
 * of the roles beside it (out/roles). The JSON callback reports a handler as one more task.
 */
export function handlerNames(playbookFile: string): Set<string> {
  const names = new Set<string>();
  const add = (list: unknown, prefix: string) => {
    if (!Array.isArray(list)) return;
    for (const h of list as unknown[])
      if (h && typeof h === 'object' && typeof (h as { name?: unknown }).name === 'string')
        names.add(`${prefix}${(h as { name: string }).name}`);
  };
  const plays: unknown = parse(fs.readFileSync(playbookFile, 'utf8'));
  if (Array.isArray(plays)) for (const p of plays as unknown[]) add((p as { handlers?: unknown } | null)?.handlers, '');
  const roles = path.join(path.dirname(playbookFile), 'roles');
  for (const role of fs.existsSync(roles) ? fs.readdirSync(roles) : []) {
    const file = path.join(roles, role, 'handlers', 'main.yml');
    if (fs.existsSync(file)) add(parse(fs.readFileSync(file, 'utf8')), `${role} : `);
  }
  return names;
}

/** The plan from the JSON callback's output (loop items counted as their task). */
export function planFrom(output: JsonCallbackOutput, handlers: ReadonlySet<string> = new Set()): Plan {
  const plan: Plan = {};
  const host = (h: string) => (plan[h] ??= { changes: [], handlers: [], unknown: [], failed: [], unreachable: false });
  for (const p of output.plays)
    for (const t of p.tasks)
      for (const [h, r] of Object.entries(t.hosts)) {
        const where = { play: p.play.name, task: t.task.name };
        const items = r.results?.length ? r.results : [r];
        const hidden = r._ansible_no_log === true || items.some((i) => i._ansible_no_log === true);
        if (r.unreachable) host(h).unreachable = true;
        else if (r.failed)
          host(h).failed.push({ ...where, diff: '', message: hidden ? '(hidden: no_log)' : message(r) });
        else if (handlers.has(t.task.name) && items.some((i) => i.changed || i.skipped))
          host(h).handlers.push({ ...where, diff: '' });
        else if (items.some((i) => i.changed && !i.skipped))
          host(h).changes.push({
            ...where,
            diff: items
              .map((i) => diffText(i.diff, hidden))
              .filter(Boolean)
              .join('\n'),
          });
        else if (items.some((i) => i.skipped && CHECK_MODE_SKIP.test(`${message(i)} ${i.skip_reason ?? ''}`)))
          host(h).unknown.push({ ...where, diff: '', why: message(items.find((i) => i.skipped)!) });
        else host(h);
      }
  for (const [h, s] of Object.entries(output.stats)) if (s.unreachable) host(h).unreachable = true;
  return plan;
}

/** The plan as an operator reads it: per host, changes with their diffs, then what is unknown. */
export function planText(plan: Plan): string {
  const lines: string[] = [];
  const label = (t: PlannedTask) => `${t.task} (${t.play})`;
  for (const [h, p] of Object.entries(plan).sort(([a], [b]) => a.localeCompare(b))) {
    if (p.unreachable) lines.push(`${h}: UNREACHABLE`);
    else if (!p.changes.length && !p.failed.length)
      lines.push(`${h}: no change${p.unknown.length ? `, ${String(p.unknown.length)} unknown in check mode` : ''}`);
    else lines.push(`${h}: ${String(p.changes.length)} change(s)`);
    for (const t of p.failed) lines.push(`  FAILED ${label(t)}: ${t.message}`);
    for (const t of p.changes) {
      lines.push(`  ~ ${label(t)}`);
      for (const l of t.diff.split('\n').filter(Boolean).slice(0, 40)) lines.push(`      ${l}`);
    }
    for (const t of p.handlers) lines.push(`  ! ${label(t)}: would run after the changes (a handler they notify)`);
    for (const t of p.unknown) lines.push(`  ? ${label(t)}: ${t.why || 'not run in check mode'}`);
  }
  const hosts = Object.values(plan);
  const count = (f: (p: HostPlan) => number) => hosts.reduce((n, p) => n + f(p), 0);
  lines.push(
    `plan: ${String(count((p) => p.changes.length))} change(s) on ${String(hosts.filter((p) => p.changes.length).length)} host(s), ` +
      `${String(count((p) => p.unknown.length))} unknown in check mode, ${String(count((p) => p.failed.length))} failed, ` +
      `${String(hosts.filter((p) => p.unreachable).length)} unreachable` +
      (count((p) => p.handlers.length) ? `, ${String(count((p) => p.handlers.length))} handler run(s) after them` : ''),
  );
  return lines.join('\n');
}

export interface PlanOptions {
  /** A playbook's name in out/, or a path to a playbook file (`.yml`). */
  playbook: string;
  inventory?: string;
  limit?: string;
}

/** Runs the playbook in check mode with diffs and returns its plan; a run that printed no plan is an error naming why. */
export async function makePlan(o: PlanOptions): Promise<Plan> {
  ensureSecrets();
  const file = o.playbook.endsWith('.yml')
    ? path.resolve(o.playbook)
    : path.join(PROJECT_ROOT, 'out', `${o.playbook}.yml`);
  const r = await execa(
    ansibleTool('ansible-playbook'),
    [
      ...(o.inventory ? ['-i', path.resolve(PROJECT_ROOT, o.inventory)] : []),
      file,
      '--check',
      '--diff',
      ...(o.limit ? ['--limit', o.limit] : []),
    ],
    {
      cwd: PROJECT_ROOT,
      reject: false,
      // Bounded: a host that stops answering mid-run must not hold the plan for ever.
      timeout: 30 * 60_000,
      env: {
        ...ansibleEnv(),
        ...mitogenEnv(),
        ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.json',
        ...(process.env.PGHA_SECRETS_FILE ? { PGHA_SECRETS_FILE: secretsPath() } : {}),
      },
      stdin: 'ignore',
    },
  );
  const start = r.stdout.indexOf('{');
  if (start < 0)
    throw new Error(
      `ansible-playbook printed no plan (exit ${String(r.exitCode)}${r.timedOut ? ', stopped after 30 min' : ''}): ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
  return planFrom(JSON.parse(r.stdout.slice(start)) as JsonCallbackOutput, handlerNames(file));
}
