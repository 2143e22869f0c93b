// The pieces of the inventory check: which hosts a play pattern selects, CIDR membership, and
// the groups against the plays that run on them.
import { describe, expect, it } from 'vitest';
import { checkInventory, inNetwork, networkProblem, patternHosts } from '../../compiler/check/inventory.js';
import { Problems } from '../../compiler/errors.js';
import { inventory, type Inventory } from '../../dsl/inventory.js';
import { playbook } from '../../dsl/playbook.js';

const site = playbook({
  name: 'site',
  description: 'plays on infra, etcd and pg',
  plays: [
    { name: 'Infra', hosts: 'infra', roles: [] },
    { name: 'Etcd', hosts: 'etcd', roles: [] },
    { name: 'Databases', hosts: 'pg', roles: [] },
    { name: 'Everyone', hosts: 'all', roles: [] },
  ],
});

function problemsOf(i: Inventory): string[] {
  const problems = new Problems();
  const ctx = {
    playbooks: [{ playbook: site, file: 'playbooks/site.ts' }],
    roleHostCounts: new Map(),
    declared: new Set<string>(['db_clients', 'db_admins', 'db_port', 'db_workers']),
    specs: new Map([
      ['db_port', { type: 'int' as const, min: 1, max: 65535 }],
      ['db_workers', { type: 'int' as const }],
    ]),
    read: new Set<string>(['pgha_tls', 'pgha_vip']), // the project's playbooks read them
    networks: new Set<string>(['db_clients', 'db_admins']), // declared with format: 'network'
  };
  checkInventory(i, 'inventories/t.ts', ctx, problems);
  return problems.list.map((p) => `${p.field}: ${p.message}`);
}

const inv = inventory('t', {
  vars: {},
  groups: {
    infra: { hosts: { ns: {} } },
    pg: { hosts: { a: {}, b: {}, c: {} } },
    etcd: { hosts: { b: {}, c: {}, d: {} } },
  },
});
const hosts = (p: string) => [...(patternHosts(p, inv) ?? ['(not judged)'])].sort();

describe('inventory check', () => {
  it("checks each value against its role variable's type and bounds, at every level", () => {
    const i = inventory('t', {
      vars: { db_port: 70000 },
      groups: {
        infra: { hosts: { ns: {} } },
        etcd: { hosts: { a: {} } },
        pg: { vars: { db_workers: 'four' }, hosts: { a: { db_port: 5432 } } },
      },
    });
    expect(problemsOf(i)).toEqual([
      'vars.db_port: 70000 is outside 1-65535 (a TCP port)',
      'groups.pg.vars.db_workers: expected an integer, got a string ("four")',
    ]);
  });
  it('resolves host patterns as Ansible does: groups, hosts, unions, exclusions and intersections', () => {
    expect(hosts('pg')).toEqual(['a', 'b', 'c']);
    expect(hosts('all')).toEqual(['a', 'b', 'c', 'd', 'ns']);
    expect(hosts('pg:!b')).toEqual(['a', 'c']);
    expect(hosts('pg:&etcd')).toEqual(['b', 'c']);
    expect(hosts('infra,d')).toEqual(['d', 'ns']);
    expect(hosts('nosuch')).toEqual([]);
    expect(hosts("{{ groups['pg'] }}")).toEqual(['(not judged)']);
    expect(hosts('pg[0]')).toEqual(['(not judged)']);
  });

  it('tells whether an address lies in a network', () => {
    expect(inNetwork('10.213.50.101', '10.213.50.0/24')).toBe(true);
    expect(inNetwork('10.213.51.1', '10.213.50.0/24')).toBe(false);
    expect(inNetwork('10.213.51.1', '10.213.0.0/16')).toBe(true);
    expect(inNetwork('192.168.1.1', '0.0.0.0/0')).toBe(true);
    expect(inNetwork('db1.example.org', '10.0.0.0/8')).toBeUndefined();
    expect(inNetwork('10.0.0.1', '10.0.0.0/33')).toBeUndefined();
  });

  it("refuses a virtual IP that is not an address, lies outside the network, is a host's own, or is set per group", () => {
    const withVip = (vip: unknown, extra: Partial<Inventory> = {}) =>
      problemsOf(
        inventory('v', {
          network: '10.0.0.0/24',
          vars: { pgha_vip: vip as string },
          groups: {
            infra: { hosts: { ns: { ansible_host: '10.0.0.10' } } },
            pg: { hosts: { a: { ansible_host: '10.0.0.11' }, b: { ansible_host: '10.0.0.12' } } },
            etcd: { hosts: { a: {}, b: {}, c: { ansible_host: '10.0.0.13' } } },
          },
          ...extra,
        }),
      ).filter((p) => p.includes('pgha_vip'));
    expect(withVip('10.0.0.100')).toEqual([]);
    expect(withVip('10.0.1.100')).toEqual([
      "vars.pgha_vip: 10.0.1.100 lies outside the inventory's network 10.0.0.0/24",
    ]);
    expect(withVip('10.0.0.12')).toEqual([
      "vars.pgha_vip: 10.0.0.12 is b's own address (ansible_host): the virtual IP must be an unused one",
    ]);
    expect(withVip('db.example.org')[0]).toMatch(/^vars\.pgha_vip: expected an IPv4 address/);
    expect(withVip(100)[0]).toMatch(/^vars\.pgha_vip: expected an IPv4 address .*got 100$/);
    expect(
      withVip('10.0.0.100', {
        groups: {
          infra: { hosts: { ns: { ansible_host: '10.0.0.10' } } },
          pg: { vars: { pgha_vip: '10.0.0.101' }, hosts: { a: { ansible_host: '10.0.0.11' } } },
          etcd: { hosts: { a: {} } },
        },
      }),
    ).toEqual([
      "groups.pg.vars.pgha_vip: pgha_vip is the whole cluster's entry address: set it in the inventory's vars, not for a group or host",
    ]);
  });

  it("maps the playbooks' groups onto an inventory's own through children", () => {
    const own = inventory('own', {
      vars: {},
      groups: {
        services: { hosts: { dns1: {} } },
        databases: { hosts: { db1: {}, db2: {}, db3: {}, db4: {}, db5: {} } },
        dcs: { hosts: { db1: {}, db2: {}, db3: {} } },
        infra: { children: ['services'] },
        etcd: { children: ['dcs'] },
        pg: { children: ['databases'] },
      },
    });
    expect([...(patternHosts('pg', own) ?? [])].sort()).toEqual(['db1', 'db2', 'db3', 'db4', 'db5']);
    expect([...(patternHosts('etcd:!db1', own) ?? [])].sort()).toEqual(['db2', 'db3']);
    expect(problemsOf(own)).toEqual([]);
  });

  it('refuses a group a play runs on that the inventory lacks, unknown or circular children, and a host no play reaches', () => {
    const bad = inventory('bad', {
      vars: {},
      groups: {
        infra: { hosts: { ns: {} } },
        databases: { hosts: { db1: {}, db2: {} } },
        pg: { children: ['databasez'] },
        spare: { hosts: { lost: {} } },
        a: { children: ['b'] },
        b: { children: ['a'] },
      },
    });
    expect(problemsOf(bad)).toEqual([
      "groups.pg.children: 'databasez' is not a group of this inventory; did you mean 'databases'?",
      'groups.a.children: groups contain each other: a -> b -> a',
      "groups.etcd: has no group 'etcd', which playbooks/site.ts plays[1] 'Etcd' runs on; add it, or make it one of yours: etcd: { children: ['databases'] } (groups here: infra, databases, pg, spare, a, b)",
      "groups.pg: group 'pg' has no hosts, but playbooks/site.ts plays[2] 'Databases' runs on it",
      "groups.databases.hosts.db1: host 'db1' is in no group a playbook runs on (etcd, infra, pg): it would only get the plays for all hosts; put it in one, or make 'databases' a child of one",
      "groups.databases.hosts.db2: host 'db2' is in no group a playbook runs on (etcd, infra, pg): it would only get the plays for all hosts; put it in one, or make 'databases' a child of one",
      "groups.spare.hosts.lost: host 'lost' is in no group a playbook runs on (etcd, infra, pg): it would only get the plays for all hosts; put it in one, or make 'spare' a child of one",
    ]);
  });

  it('keeps pgha_tls one boolean switch for the whole inventory', () => {
    const withTls = (vars: Record<string, unknown>, pg: Inventory['groups'][string]) =>
      inventory('t', { vars, groups: { ...inv.groups, pg } });
    expect(problemsOf(withTls({ pgha_tls: false }, inv.groups.pg!))).toEqual([]);
    expect(problemsOf(withTls({ pgha_tls: 'no' }, inv.groups.pg!))).toEqual([
      'vars.pgha_tls: expected true or false, got "no"',
    ]);
    const perHost = problemsOf(
      withTls({}, { hosts: { a: { pgha_tls: false }, b: {}, c: {} }, vars: { pgha_tls: true } }),
    );
    expect(perHost).toEqual([
      expect.stringMatching(/^groups\.pg\.vars\.pgha_tls: pgha_tls switches TLS for the whole cluster/),
      expect.stringMatching(/^groups\.pg\.hosts\.a\.pgha_tls: /),
    ]);
  });

  it('refuses group and host names Ansible or DNS do not take, an address that is none, a /0 network and lookups', () => {
    const bad = inventory('t', {
      network: '0.0.0.0/0',
      vars: { pgha_vip: "{{ lookup('env', 'VIP') }}" },
      groups: {
        infra: { hosts: { ns: {} } },
        'pg-hosts': { hosts: { pg_01: { ansible_host: 'ten.0.0.1!' } } },
        pg: { children: ['pg-hosts'] },
        etcd: { hosts: { b: {} } },
      },
    });
    const out = problemsOf(bad);
    expect(out).toEqual(
      expect.arrayContaining([
        "network: '0.0.0.0/0' is every address: name the hosts' own network (e.g. 10.0.0.0/24)",
        'vars.pgha_vip: a lookup in an inventory value runs on the controller at every use; write the value itself',
        "groups.pg-hosts: group name 'pg-hosts': expected letters, digits and underscores, not starting with a digit (Ansible warns on others and may not match them)",
        "groups.pg-hosts.hosts.pg_01: host name 'pg_01': expected a DNS name (letters, digits, hyphens, dots)",
        "groups.pg-hosts.hosts.pg_01.ansible_host: 'ten.0.0.1!' is neither an IP address nor a DNS name",
      ]),
    );
  });

  it("checks a role's network variables wherever the inventory sets them: an address or CIDR, and every address only when allowed", () => {
    const withNetworks = (anyNetwork: boolean) =>
      inventory('t', {
        ...(anyNetwork ? { anyNetwork } : {}),
        vars: { db_clients: '0.0.0.0/0' },
        groups: {
          infra: { hosts: { ns: {} } },
          pg: {
            hosts: { a: {}, b: {}, c: {} },
            vars: { db_admins: ['10.0.0.5', '10.0.0.0/33', 'ten', '::/0', '{{ x }}'] },
          },
          etcd: { hosts: { b: {}, c: {}, d: {} } },
        },
      });
    expect(problemsOf(withNetworks(false))).toEqual([
      "vars.db_clients: '0.0.0.0/0' is every address: name the clients' own network (e.g. 10.0.0.0/24), or set the inventory's anyNetwork: true if you mean it",
      "groups.pg.vars.db_admins[1]: '10.0.0.0/33': the prefix length must be 0-32",
      "groups.pg.vars.db_admins[2]: 'ten' is not an IP address or a network in CIDR form (e.g. 10.0.0.0/24)",
      "groups.pg.vars.db_admins[3]: '::/0' is every address: name the clients' own network (e.g. 10.0.0.0/24), or set the inventory's anyNetwork: true if you mean it",
    ]);
    expect(problemsOf(withNetworks(true))).toEqual([
      "groups.pg.vars.db_admins[1]: '10.0.0.0/33': the prefix length must be 0-32",
      "groups.pg.vars.db_admins[2]: 'ten' is not an IP address or a network in CIDR form (e.g. 10.0.0.0/24)",
    ]);
    expect(networkProblem('fd00::/64', false)).toBeUndefined();
    expect(networkProblem('10.1.2.0/24', false)).toBeUndefined();
  });
});
