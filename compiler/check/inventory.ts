// What an inventory must satisfy before anything runs against it: every host address inside the
// network the inventory declares; enough hosts for each role's play (a role's `hostCount`: etcd an
// odd number, Patroni two or more); every required role variable given (by the inventory, the
// play or the role use); and no variable that no role declares and nothing reads (a misspelt
// override is otherwise silently ignored by Ansible).
import { closest } from '../../dsl/closest.js';
import { childCycles, groupMembers, inventoryHosts, type Inventory } from '../../dsl/inventory.js';
import { isPlay, type Playbook } from '../../dsl/playbook.js';
import type { HostCount } from '../../dsl/role.js';
import type { Problems } from '../errors.js';
import type { OptionSpec } from '../../dsl/module.js';
import { checkOptions } from './args.js';
import { patternNames } from './hosts.js';

/** The hosts a pattern selects (`pg`, `pg:!pg01`, `etcd:&pg`, `web,db`, a host name); undefined for Jinja or wildcards. */
export function patternHosts(pattern: string, inv: Inventory): Set<string> | undefined {
  if (/[{*?~[]/.test(pattern)) return undefined;
  const groups = groupMembers(inv);
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
  /** Their types and bounds (varOptionSpecs): an inventory's value is checked against them. */
  specs?: ReadonlyMap<string, OptionSpec>;
  /** Variables any emitted template, task or default reads. */
  read: ReadonlySet<string>;
  /** Variables the roles declare as networks (`format: 'network'`): each value an address or CIDR. */
  networks: ReadonlySet<string>;
}

export function checkInventory(inv: Inventory, file: string, ctx: InventoryContext, problems: Problems): void {
  if (inv.network !== undefined && inNetwork('0.0.0.0', inv.network) === undefined)
    problems.add(file, 'network', `'${inv.network}' is not an IPv4 network in CIDR form (e.g. 10.0.0.0/24)`);
  for (const [g, def] of Object.entries(inv.groups)) {
    for (const [h, vars] of Object.entries(def.hosts ?? {})) {
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
  checkNamesAndValues(inv, file, problems);
  checkNetworkValues(inv, file, ctx.networks, problems);
  checkSiteSwitches(inv, file, problems);
  checkGroups(inv, file, ctx, problems);
  const groups = groupMembers(inv);
  for (const { playbook, file: pbFile } of ctx.playbooks) {
    playbook.plays.forEach((play, i) => {
      if (!isPlay(play) || targetedGroups(play.hosts, inv).some((g) => !groups.get(g)?.size)) return;
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
  eachVarsLevel(inv, check);
  // Each value against its role variable's type and bounds (a port above 65535, a string for an int).
  eachVarsLevel(inv, (vars, field) => {
    for (const [name, value] of Object.entries(vars ?? {})) {
      const spec = ctx.specs?.get(name);
      if (spec && !ctx.networks.has(name))
        checkOptions({ [name]: spec }, { [name]: value }, field, (f, m) => {
          problems.add(file, f, m);
        });
    }
  });
}

/** Calls `visit` with the inventory's variables at each level (site, group, host) and its field path. */
function eachVarsLevel(
  inv: Inventory,
  visit: (vars: Readonly<Record<string, unknown>> | undefined, field: string) => void,
): void {
  visit(inv.vars, 'vars');
  for (const [g, def] of Object.entries(inv.groups)) {
    visit(def.vars, `groups.${g}.vars`);
    for (const [h, vars] of Object.entries(def.hosts ?? {})) visit(vars, `groups.${g}.hosts.${h}`);
  }
}

/** The group names a host pattern targets (`pg:!pg01` -> pg), leaving out hosts, `all` and Jinja. */
function targetedGroups(pattern: string, inv: Inventory): string[] {
  if (pattern.includes('{{')) return [];
  const hosts = inventoryHosts(inv);
  return patternNames(pattern).filter(
    (p) => !/[*?~]/.test(p) && !['all', 'localhost', 'ungrouped'].includes(p) && !hosts.has(p),
  );
}

/** Variable names each host gets: the inventory's, its groups' (through children too) and its own. */
function effectiveVars(inv: Inventory, groups: Map<string, Set<string>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [h, vars] of inventoryHosts(inv)) out.set(h, new Set([...Object.keys(inv.vars), ...Object.keys(vars)]));
  for (const [g, def] of Object.entries(inv.groups))
    for (const h of groups.get(g) ?? []) for (const name of Object.keys(def.vars ?? {})) out.get(h)?.add(name);
  return out;
}

/**
 * The inventory's groups against the playbooks: children that exist and lead nowhere circular;
 * every group a play targets present with hosts (Ansible would skip that play with a warning);
 * every host in some group a play targets by name (else it only ever gets the `all` plays).
 */
function checkGroups(inv: Inventory, file: string, ctx: InventoryContext, problems: Problems): void {
  for (const [g, def] of Object.entries(inv.groups))
    for (const child of def.children ?? [])
      if (!(child in inv.groups))
        problems.add(
          file,
          `groups.${g}.children`,
          `'${child}' is not a group of this inventory${closestSuffix(child, Object.keys(inv.groups))}`,
        );
  for (const cycle of childCycles(inv))
    if (cycle[0]! <= cycle.slice(0, -1).sort()[0]!)
      problems.add(file, `groups.${cycle[0]!}.children`, `groups contain each other: ${cycle.join(' -> ')}`);

  const groups = groupMembers(inv);
  const targeted = new Map<string, string>();
  for (const { playbook, file: pbFile } of ctx.playbooks)
    playbook.plays.forEach((play, i) => {
      if (!isPlay(play)) return;
      for (const g of targetedGroups(play.hosts, inv)) {
        if (!targeted.has(g)) targeted.set(g, `${pbFile} plays[${String(i)}] '${play.name}'`);
      }
    });
  for (const [g, where] of targeted) {
    if (groups.get(g)?.size) continue;
    const mine = Object.keys(inv.groups).filter((x) => !targeted.has(x));
    problems.add(
      file,
      `groups.${g}`,
      g in inv.groups
        ? `group '${g}' has no hosts, but ${where} runs on it`
        : `has no group '${g}', which ${where} runs on; add it${mine.length ? `, or make it one of yours: ${g}: { children: ['${mine[0]!}'] } (groups here: ${Object.keys(inv.groups).join(', ')})` : ''}`,
    );
  }
  for (const [g, def] of Object.entries(inv.groups))
    for (const h of Object.keys(def.hosts ?? {})) {
      const reached = [...targeted.keys()].some((t) => groups.get(t)?.has(h));
      if (!reached && targeted.size)
        problems.add(
          file,
          `groups.${g}.hosts.${h}`,
          `host '${h}' is in no group a playbook runs on (${[...targeted.keys()].sort().join(', ')}): it would only get the plays for all hosts; put it in one, or make '${g}' a child of one`,
        );
    }
}

function closestSuffix(name: string, names: readonly string[]): string {
  const near = closest(name, names);
  return near ? `; did you mean '${near}'?` : '';
}

/**
 * Variables that describe the whole cluster: set once, in the inventory's vars. `pgha_tls` set per
 * group or host would leave members that cannot talk to each other; `pgha_vip` per host, two
 * entry addresses.
 */
const SITE_WIDE: Readonly<Record<string, string>> = {
  pgha_tls: 'switches TLS for the whole cluster',
  pgha_vip: "is the whole cluster's entry address",
};

function checkSiteSwitches(inv: Inventory, file: string, problems: Problems): void {
  const tls: unknown = inv.vars.pgha_tls;
  if (tls !== undefined && typeof tls !== 'boolean')
    problems.add(file, 'vars.pgha_tls', `expected true or false, got ${JSON.stringify(tls)}`);
  checkVip(inv, file, problems);
  for (const [g, def] of Object.entries(inv.groups)) {
    for (const [name, what] of Object.entries(SITE_WIDE)) {
      const where = [
        ...(def.vars && name in def.vars ? [`groups.${g}.vars.${name}`] : []),
        ...Object.entries(def.hosts ?? {})
          .filter(([, v]) => name in v)
          .map(([h]) => `groups.${g}.hosts.${h}.${name}`),
      ];
      for (const field of where)
        problems.add(file, field, `${name} ${what}: set it in the inventory's vars, not for a group or host`);
    }
  }
}

/** The virtual IP: an IPv4 address in the inventory's network that no host has. */
function checkVip(inv: Inventory, file: string, problems: Problems): void {
  const vip: unknown = inv.vars.pgha_vip;
  if (vip === undefined) return;
  if (typeof vip !== 'string' || ipv4(vip) === undefined) {
    problems.add(file, 'vars.pgha_vip', `expected an IPv4 address such as '10.0.0.100', got ${JSON.stringify(vip)}`);
    return;
  }
  if (inv.network === undefined)
    problems.add(
      file,
      'vars.pgha_vip',
      "a virtual IP needs the inventory's network (network: 'a.b.c.0/24') to be checked against",
    );
  else if (inNetwork(vip, inv.network) === false)
    problems.add(file, 'vars.pgha_vip', `${vip} lies outside the inventory's network ${inv.network}`);
  for (const [h, vars] of inventoryHosts(inv))
    if (vars.ansible_host === vip)
      problems.add(
        file,
        'vars.pgha_vip',
        `${vip} is ${h}'s own address (ansible_host): the virtual IP must be an unused one`,
      );
}

const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const IPV6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/;

/** What is wrong with an address or network (IPv4 or IPv6, with or without a prefix), if anything. */
export function networkProblem(text: string, anyNetwork: boolean): string | undefined {
  const [address = '', bits, ...rest] = text.split('/');
  const v4 = ipv4(address) !== undefined;
  if (rest.length || (!v4 && !IPV6.test(address)))
    return `'${text}' is not an IP address or a network in CIDR form (e.g. 10.0.0.0/24)`;
  if (bits === undefined) return undefined;
  const n = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(n >= 0 && n <= (v4 ? 32 : 128))) return `'${text}': the prefix length must be 0-${v4 ? '32' : '128'}`;
  if (n === 0 && !anyNetwork)
    return `'${text}' is every address: name the clients' own network (e.g. 10.0.0.0/24), or set the inventory's anyNetwork: true if you mean it`;
  return undefined;
}

/** Each value of a role's network variable, wherever the inventory sets it, is an address or CIDR. */
function checkNetworkValues(inv: Inventory, file: string, networks: ReadonlySet<string>, problems: Problems): void {
  const check = (vars: Readonly<Record<string, unknown>> | undefined, field: string) => {
    for (const [name, value] of Object.entries(vars ?? {})) {
      if (!networks.has(name)) continue;
      const items = Array.isArray(value) ? (value as unknown[]) : [value];
      items.forEach((item, i) => {
        const at = Array.isArray(value) ? `${field}.${name}[${String(i)}]` : `${field}.${name}`;
        if (typeof item !== 'string')
          problems.add(file, at, `expected an address or network as a string, got ${JSON.stringify(item)}`);
        else if (!item.includes('{{')) {
          const wrong = networkProblem(item, inv.anyNetwork === true);
          if (wrong) problems.add(file, at, wrong);
        }
      });
    }
  };
  eachVarsLevel(inv, check);
}

/**
 * Names Ansible and DNS take, addresses that are addresses, a network narrower than the whole
 * Internet, and no lookups: an inventory value is data, and a lookup in it runs on the controller.
 */
function checkNamesAndValues(inv: Inventory, file: string, problems: Problems): void {
  if (inv.network !== undefined && /\/0$/.test(inv.network) && inv.anyNetwork !== true)
    problems.add(file, 'network', `'${inv.network}' is every address: name the hosts' own network (e.g. 10.0.0.0/24)`);
  const values = (vars: Readonly<Record<string, unknown>> | undefined, field: string) => {
    for (const [k, v] of Object.entries(vars ?? {}))
      if (JSON.stringify(v).match(/\b(lookup|query|q)\s*\(/))
        problems.add(
          file,
          `${field}.${k}`,
          'a lookup in an inventory value runs on the controller at every use; write the value itself',
        );
  };
  values(inv.vars, 'vars');
  for (const [g, def] of Object.entries(inv.groups)) {
    if (!GROUP_NAME.test(g))
      problems.add(
        file,
        `groups.${g}`,
        `group name '${g}': expected letters, digits and underscores, not starting with a digit (Ansible warns on others and may not match them)`,
      );
    values(def.vars, `groups.${g}.vars`);
    for (const [h, vars] of Object.entries(def.hosts ?? {})) {
      if (!HOST_NAME.test(h))
        problems.add(
          file,
          `groups.${g}.hosts.${h}`,
          `host name '${h}': expected a DNS name (letters, digits, hyphens, dots)`,
        );
      values(vars, `groups.${g}.hosts.${h}`);
      const address = vars.ansible_host;
      if (
        typeof address === 'string' &&
        !address.includes('{{') &&
        ipv4(address) === undefined &&
        !HOST_NAME.test(address) &&
        !/^[0-9a-fA-F:]+$/.test(address)
      )
        problems.add(
          file,
          `groups.${g}.hosts.${h}.ansible_host`,
          `'${address}' is neither an IP address nor a DNS name`,
        );
    }
  }
}

/**
 * A role's required variables: the role use or the play gives each, or every host of the play
 * gets it from the inventory (all, one of its groups, or the host itself). Reported once per role
 * use, where the value is usually added, naming the inventories that lack it.
 */
export function checkRequiredVars(
  inventories: readonly { inventory: Inventory; file: string }[],
  playbooks: InventoryContext['playbooks'],
  problems: Problems,
): void {
  const hostVars = new Map(inventories.map(({ inventory: inv }) => [inv, effectiveVars(inv, groupMembers(inv))]));
  for (const { playbook, file: pbFile } of playbooks) {
    playbook.plays.forEach((play, i) => {
      if (!isPlay(play)) return;
      (play.roles ?? []).forEach((use, ri) => {
        for (const [name, spec] of Object.entries(use.role.definition.vars)) {
          if (!spec.required || name in use.vars || name in (play.vars ?? {})) continue;
          const lacking = inventories.filter(({ inventory: inv }) => {
            const playHosts = [...(patternHosts(play.hosts, inv) ?? [])];
            const vars = hostVars.get(inv)!;
            return !(name in inv.vars || (playHosts.length > 0 && playHosts.every((h) => vars.get(h)?.has(name))));
          });
          if (!lacking.length) continue;
          problems.add(
            pbFile,
            `plays[${String(i)}] '${play.name}'.roles[${String(ri)}] '${use.role.definition.name}'`,
            `role '${use.role.definition.name}' requires '${name}' (${spec.description ?? 'no description'}): set it here, in the play's vars, or for the play's hosts in ${lacking.map((l) => l.file).join(', ')}`,
          );
        }
      });
    });
  }
}
