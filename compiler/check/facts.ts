// Facts read in a play that gathers none: `ansible_facts['hostname']` (or `ansible_hostname`) is
// undefined there and the task fails on every host. A play is fine when it gathers facts, when an
// earlier play of the same run did (facts stay for the run), when it runs the setup module itself,
// or when a persistent fact cache keeps them between runs.
import fs from 'node:fs';
import path from 'node:path';
import type { Inventory } from '../../dsl/inventory.js';
import { patternHosts as inventoryPatternHosts } from './inventory.js';
import { isPlay, type Playbook } from '../../dsl/playbook.js';
import type { TaskItem } from '../../dsl/task.js';
import type { CfgValue } from '../render/ansible-cfg.js';
import type { JinjaText } from './jinja-syntax.js';
import { scanExpression, scanTemplate } from '../jinja-refs.js';
import type { Problems } from '../errors.js';
import { PROJECT_ROOT } from '../../lib/python-env.js';

const FACTS = new Set<string>([
  'ansible_facts',
  ...(
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'compiler', 'reserved-names.generated.json'), 'utf8')) as {
      facts: string[];
    }
  ).facts,
]);

/** A fact's name (`ansible_facts`, or one Ansible injects as `ansible_<fact>`), from Ansible's own list. */
export const isFactName = (name: string): boolean => FACTS.has(name);

const GATHERING_MODULES = new Set(['ansible.builtin.setup', 'ansible.builtin.gather_facts']);

/** Where a text first reads a fact without a default: the fact's name. */
function factRead(t: JinjaText): string | undefined {
  const scan = t.expression ? scanExpression(t.text) : scanTemplate(t.text);
  return [...scan.reads].find((n) => FACTS.has(n) && !scan.guarded?.has(n));
}

/** What one role (or one play's own tasks) reads of the facts, and whether it gathers them itself. */
export interface FactUse {
  read?: { name: string; where: string };
  gathers: boolean;
}

export function factUse(texts: readonly JinjaText[], gathers: boolean): FactUse {
  let read: FactUse['read'];
  for (const t of texts) {
    const name = factRead(t);
    if (name) {
      read = { name, where: t.field === 'template' ? t.source : `${t.source} (${t.field})` };
      break;
    }
  }
  return { ...(read ? { read } : {}), gathers };
}

/** Whether emitted task files call the setup module (a task's key names its module). */
export function yamlRunsSetup(doc: unknown): boolean {
  if (Array.isArray(doc)) return doc.some(yamlRunsSetup);
  if (!doc || typeof doc !== 'object') return false;
  return Object.entries(doc).some(
    ([k, v]) => GATHERING_MODULES.has(k) || ['setup', 'gather_facts'].includes(k) || yamlRunsSetup(v),
  );
}

function runsSetup(items: readonly TaskItem[]): boolean {
  return items.some((t) =>
    t.kind === 'block'
      ? runsSetup([...t.block, ...(t.rescue ?? []), ...(t.always ?? [])])
      : GATHERING_MODULES.has(t.call.spec.fqcn),
  );
}

export interface FactContext {
  cfg: Record<string, Record<string, CfgValue>>;
  /** Per role: its facts use, and the roles it depends on (meta dependencies). */
  roles: ReadonlyMap<string, { use: FactUse; dependencies: readonly string[] }>;
  /** Texts of playbook files (their field starts with `plays[i]`). */
  texts: readonly JinjaText[];
  inventories: readonly Inventory[];
}

/**
 * The hosts a pattern names in each inventory, as `inventory/host` (check-inventory's reading:
 * names, `:`/`,`, `!` and `&`); undefined for what only the run can tell (Jinja, subscripts, wildcards).
 */
function patternHosts(pattern: string, inventories: readonly Inventory[]): Set<string> | undefined {
  const out = new Set<string>();
  for (const inv of inventories) {
    const hosts = inventoryPatternHosts(pattern, inv);
    if (!hosts) return undefined;
    for (const h of hosts) out.add(`${inv.name}/${h}`);
  }
  return out;
}

export function checkFactsGathered(
  playbooks: readonly { playbook: Playbook; file: string }[],
  ctx: FactContext,
  problems: Problems,
): void {
  const caching = String(ctx.cfg.defaults?.fact_caching ?? 'memory');
  if (caching !== 'memory') return; // facts of an earlier run may be there: only the host knows
  const gatherByDefault = String(ctx.cfg.defaults?.gathering ?? 'implicit') !== 'explicit';

  const roleRead = (name: string, seen = new Set<string>()): FactUse['read'] | 'gathers' | undefined => {
    if (seen.has(name)) return undefined;
    seen.add(name);
    const r = ctx.roles.get(name);
    if (!r) return undefined;
    for (const d of r.dependencies) {
      const x = roleRead(d, seen);
      if (x) return x;
    }
    return r.use.gathers ? 'gathers' : r.use.read;
  };

  /** Hosts an earlier play gathered facts on; `any` once a pattern only the run can resolve did. */
  interface Gathered {
    any: boolean;
    hosts: Set<string>;
  }
  /** Walks a playbook's plays (imports included) in run order; reports only its own plays. */
  const walk = (pb: Playbook, file: string, own: boolean, gathered: Gathered) => {
    pb.plays.forEach((play, i) => {
      if (!isPlay(play)) {
        walk(play.import_playbook, '', false, gathered);
        return;
      }
      const hosts = patternHosts(play.hosts, ctx.inventories);
      if (play.gather_facts ?? gatherByDefault) {
        if (!hosts) gathered.any = true;
        else for (const h of hosts) gathered.hosts.add(h);
        return;
      }
      if (!own || gathered.any) return;
      if (!hosts ? gathered.hosts.size > 0 : [...hosts].every((h) => gathered.hosts.has(h))) return;
      const prefix = `plays[${i}]`;
      const own_ = factUse(
        ctx.texts.filter((t) => t.source === file && (t.field === prefix || t.field.startsWith(`${prefix} `))),
        runsSetup([...(play.pre_tasks ?? []), ...(play.tasks ?? [])]),
      );
      if (own_.gathers) return;
      let read = own_.read && { ...own_.read, where: own_.read.where.replace(/^\S+ \((.*)\)$/, '$1') };
      for (const u of play.roles ?? []) {
        if (read) break;
        const x = roleRead(u.role.definition.name);
        if (x === 'gathers') return;
        read = x;
      }
      if (!read) return;
      problems.add(
        file,
        `plays[${i}] '${play.name}'.gather_facts`,
        `gathers no facts (nor does an earlier play on these hosts), but ${read.where} reads '${read.name}': undefined on every host; set gather_facts: true, run ansible.builtin.setup first, or read it with a default`,
      );
    });
  };
  for (const { playbook, file } of playbooks) walk(playbook, file, true, { any: false, hosts: new Set() });
}
