// What an inventory must satisfy before anything runs against it: every host address inside the
// network the inventory declares; enough hosts for each role's play (a role's `hostCount`: etcd an
// odd number, Patroni two or more); every required role variable given (by the inventory, the
// play or the role use); and no variable that no role declares and nothing reads (a misspelt
// override is otherwise silently ignored by Ansible).
import { closest } from '../dsl/closest.js';
import type { Inventory } from '../dsl/inventory.js';
import { isPlay, type Playbook } from '../dsl/playbook.js';
import type { HostCount } from '../dsl/role.js';
import type { Problems } from './errors.js';

/** Hosts of each group, plus `all`. */
function groupHosts(inv: Inventory): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>([['all', new Set()]]);
  for (const [g, def] of Object.entries(inv.groups)) {
    const hosts = new Set(Object.keys(def.hosts));
    out.set(g, hosts);
    for (const h of hosts) out.get('all')!.add(h);
  }
  return out;
}

/** The hosts a pattern selects (`pg`, `pg:!pg01`, `etcd:&pg`, `web,db`, a host name); undefined for Jinja or wildcards. */
export function patternHosts(pattern: string, inv: Inventory): Set<string> | undefined {
  if (/[{*?~[]/.test(pattern)) return undefined;
  const groups = groupHosts(inv);
  const resolve = (name: string) => groups.get(name) ?? (groups.get('all')!.has(name) ? new Set([name]) : new Set());
  let selected = new Set<string>();
  for (const raw of pattern.split(/[:,]/).map((p) => p.trim())) {
    if (!raw) continue;
    const hosts = resolve(raw.replace(/^[!&]/, ''));
    if (raw.startsWith('!')) selected = new Set([...selected].filter((h) => !hosts.has(h)));
    else if (raw.startsWith('&')) selected = new Set([...selected].filter((h) => hosts.has(h)));
    else selected = new Set([...selected, ...hosts]);
  }
  return selected;
}

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

/** Whether an IPv4 address lies in a CIDR network; undefined when either is not IPv4. */
export function inNetwork(address: string, cidr: string): boolean | undefined {
  const [base, bits] = cidr.split('/');
  const a = ipv4(address);
  const b = ipv4(base ?? '');
  const n = Number(bits);
  if (a === undefined || b === undefined || !Number.isInteger(n) || n < 0 || n > 32) return undefined;
  const size = 2 ** (32 - n);
  return Math.floor(a / size) === Math.floor(b / size);
}

function hostCountProblem(count: number, rule: HostCount): string | undefined {
  if (rule.min !== undefined && count < rule.min) return `needs at least ${String(rule.min)}`;
  if (rule.odd && count % 2 === 0) return 'needs an odd number';
  return undefined;
}

export interface InventoryContext {
  /** Plays of the project's playbooks with the roles they run: whose hosts must fit each role's `hostCount`. */
  playbooks: readonly { playbook: Playbook; file: string }[];
  roleHostCounts: ReadonlyMap<string, HostCount>;
  /** Variables the roles declare. */
  declared: ReadonlySet<string>;
  /** Variables any emitted template, task or default reads. */
  read: ReadonlySet<string>;
}

export function checkInventory(inv: Inventory, file: string, ctx: InventoryContext, problems: Problems): void {
  if (inv.network !== undefined && inNetwork('0.0.0.0', inv.network) === undefined)
    problems.add(file, 'network', `'${inv.network}' is not an IPv4 network in CIDR form (e.g. 10.0.0.0/24)`);
  for (const [g, def] of Object.entries(inv.groups)) {
    for (const [h, vars] of Object.entries(def.hosts)) {
      const address = vars.ansible_host;
      if (inv.network === undefined || typeof address !== 'string') continue;
      if (inNetwork(address, inv.network) === false)
        problems.add(
          file,
          `groups.${g}.hosts.${h}.ansible_host`,
          `${address} lies outside the inventory's network ${inv.network}`,
        );
    }
  }
  for (const { playbook, file: pbFile } of ctx.playbooks) {
    playbook.plays.forEach((play, i) => {
      if (!isPlay(play)) return;
      for (const use of play.roles ?? []) {
        const rule = ctx.roleHostCounts.get(use.role.definition.name);
        const hosts = rule && patternHosts(play.hosts, inv);
        if (!rule || !hosts) continue;
        const wrong = hostCountProblem(hosts.size, rule);
        if (wrong)
          problems.add(
            file,
            `groups`,
            `'${play.hosts}' has ${String(hosts.size)} host(s) (${[...hosts].sort().join(', ') || 'none'}), but role '${use.role.definition.name}' (${pbFile} plays[${String(i)}] '${play.name}') ${wrong}: ${rule.reason}`,
          );
      }
    });
  }
  // A role's required variables: the role use, the play or this inventory gives each.
  const missing = new Map<string, string>();
  for (const { playbook, file: pbFile } of ctx.playbooks) {
    playbook.plays.forEach((play, i) => {
      if (!isPlay(play)) return;
      const groupVars = Object.entries(inv.groups)
        .filter(([g]) => play.hosts.split(/[:,]/).some((p) => p.trim() === g))
        .flatMap(([, def]) => Object.keys(def.vars ?? {}));
      // Host variables count when every host of the play sets them.
      const hostVars = new Map<string, Readonly<Record<string, unknown>>>();
      for (const def of Object.values(inv.groups))
        for (const [h, vars] of Object.entries(def.hosts)) hostVars.set(h, { ...hostVars.get(h), ...vars });
      const playHosts = [...(patternHosts(play.hosts, inv) ?? [])];
      const onEveryHost = (name: string) =>
        playHosts.length > 0 && playHosts.every((h) => name in (hostVars.get(h) ?? {}));
      const given = new Set([...Object.keys(inv.vars), ...groupVars, ...Object.keys(play.vars ?? {})]);
      for (const use of play.roles ?? []) {
        for (const [name, spec] of Object.entries(use.role.definition.vars)) {
          if (!spec.required || name in use.vars || given.has(name) || onEveryHost(name)) continue;
          const key = `${use.role.definition.name}.${name}`;
          if (!missing.has(key))
            missing.set(
              key,
              `role '${use.role.definition.name}' requires '${name}' (${spec.description}), which neither this inventory nor ${pbFile} plays[${String(i)}] '${play.name}' sets`,
            );
        }
      }
    });
  }
  for (const [key, message] of missing) problems.add(file, `vars.${key.split('.')[1]!}`, message);

  const known = [...ctx.declared, ...ctx.read];
  const check = (vars: Readonly<Record<string, unknown>> | undefined, field: string) => {
    for (const name of Object.keys(vars ?? {})) {
      if (name.startsWith('ansible_') || ctx.declared.has(name) || ctx.read.has(name)) continue;
      const near = closest(name, known);
      problems.add(
        file,
        `${field}.${name}`,
        `sets '${name}', which no role declares and nothing reads${near ? `; did you mean '${near}'?` : ''}`,
      );
    }
  };
  check(inv.vars, 'vars');
  for (const [g, def] of Object.entries(inv.groups)) {
    check(def.vars, `groups.${g}.vars`);
    for (const [h, vars] of Object.entries(def.hosts)) check(vars, `groups.${g}.hosts.${h}`);
  }
}
