// A user's own inventory as a TypeScript source (another network, domain and number of database
// hosts): emitted as out/inventory/<name>.yml, accepted by Ansible's syntax check of site.yml; and
// what the build refuses in an inventory, naming the file and the field.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compile, scratchProject, venvBin } from '../helpers/project.js';

/** inventories/prod.ts with `dbs` database hosts; `edit` changes the source text. */
function prodInventory(dbs: number, edit: (text: string) => string = (t) => t): string {
  const hosts = Array.from(
    { length: dbs },
    (_, i) => `db${String(i + 1)}: { ansible_host: '172.20.8.${String(21 + i)}' }`,
  );
  return edit(`import { inventory } from '../dsl/index.js';

export default inventory('prod', {
  network: '172.20.8.0/24',
  vars: {
    ansible_user: 'deploy',
    ansible_become: true,
    dns_domain: 'db.example.org',
    dns_reverse_zone: '8.20.172.in-addr.arpa',
    dns_allow_query: '172.20.8.0/24',
    ntp_allow: '172.20.8.0/24',
    patroni_allowed_network: '172.20.8.0/24',
  },
  groups: {
    services: { hosts: { dns1: { ansible_host: '172.20.8.5' } } },
    databases: { hosts: { ${hosts.join(', ')} } },
    // The groups the project's playbooks run on, made of this inventory's own.
    infra: { children: ['services'] },
    backup: { children: ['services'] },
    etcd: { children: ['databases'] },
    pg: { children: ['databases'] },
  },
});
`);
}

async function buildWith(source: string) {
  const dir = scratchProject();
  fs.writeFileSync(path.join(dir, 'inventories/prod.ts'), source);
  return { dir, ...(await compile(dir)) };
}

describe('inventories', () => {
  it("a user's inventory with five database hosts is emitted and passes Ansible's syntax check of site.yml", async () => {
    const r = await buildWith(prodInventory(5));
    expect(r.code, r.stderr).toBe(0);
    const inv = parse(fs.readFileSync(path.join(r.dir, 'out/inventory/prod.yml'), 'utf8'));
    expect(Object.keys(inv.all.children.databases.hosts)).toEqual(['db1', 'db2', 'db3', 'db4', 'db5']);
    expect(inv.all.children.pg).toEqual({ children: { databases: {} } });
    expect(inv.all.vars.dns_domain).toBe('db.example.org');
    expect(inv.all).not.toHaveProperty('network');
    // TLS is on unless the inventory turns it off; the emitted inventory says which.
    expect(r.stderr).not.toMatch(/TLS is off/);
    expect(fs.readFileSync(path.join(r.dir, 'out/inventory/prod.yml'), 'utf8')).toMatch(/^# TLS on: /m);
    const check = await execa(venvBin('ansible-playbook'), ['-i', 'inventory/prod.yml', '--syntax-check', 'site.yml'], {
      cwd: path.join(r.dir, 'out'),
      reject: false,
    });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    const hosts = await execa(venvBin('ansible-inventory'), ['-i', 'inventory/prod.yml', '--graph', 'pg'], {
      cwd: path.join(r.dir, 'out'),
    });
    expect(hosts.stdout).toContain('db5');
  });

  it('takes the etcd members from a separate group of their own', async () => {
    const r = await buildWith(
      prodInventory(4, (t) =>
        t
          .replace("    etcd: { children: ['databases'] },\n", '')
          .replace("ansible_user: 'deploy',", "ansible_user: 'deploy',\n    pgha_tls: false,")
          .replace(
            '    // The groups',
            "    etcd: { hosts: { dcs1: { ansible_host: '172.20.8.31' }, dcs2: { ansible_host: '172.20.8.32' }, dcs3: { ansible_host: '172.20.8.33' } } },\n    // The groups",
          ),
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    const graph = await execa(venvBin('ansible-inventory'), ['-i', 'inventory/prod.yml', '--graph', 'etcd'], {
      cwd: path.join(r.dir, 'out'),
    });
    expect(graph.stdout).toMatch(/dcs1[\s\S]*dcs2[\s\S]*dcs3/);
    expect(graph.stdout).not.toContain('db1');
    // Turned off with the one typed switch: the build says so, and so does the emitted inventory.
    expect(r.stderr).toMatch(
      /TLS is off \(pgha_tls: false\) in out\/inventory\/prod\.yml: etcd, the Patroni REST API and PostgreSQL travel in plaintext/,
    );
    expect(fs.readFileSync(path.join(r.dir, 'out/inventory/prod.yml'), 'utf8')).toMatch(
      /^# TLS OFF \(pgha_tls: false\)/m,
    );
  });

  it('types the TLS switch: anything but a boolean is refused at its line', async () => {
    const r = await buildWith(
      prodInventory(3, (t) => t.replace("ansible_user: 'deploy',", "ansible_user: 'deploy',\n    pgha_tls: 'no',")),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/inventories\/prod\.ts:\d+:\d+.*pgha_tls[\s\S]*boolean/);
  });

  it('refuses an even number of etcd members and a single database host, naming the roles and why', async () => {
    const even = await buildWith(prodInventory(4));
    expect(even.code).not.toBe(0);
    expect(even.stderr).toMatch(
      /inventories\/prod\.ts(:\d+:\d+)?: groups: 'etcd' has 4 host\(s\) \(db1, db2, db3, db4\), but role 'etcd' \(playbooks\/site\.ts plays\[\d+\] 'The etcd cluster'\) needs an odd number: etcd stays writable while a majority/,
    );
    const one = await buildWith(prodInventory(1));
    expect(one.code).not.toBe(0);
    expect(one.stderr).toMatch(
      /'pg' has 1 host\(s\) \(db1\), but role 'patroni' .* needs at least 2: a failover needs a replica/,
    );
    expect(one.stderr).not.toMatch(/role 'etcd'/);
  });

  it('refuses an inventory that leaves a required role variable unset, naming the role, the variable and the play', async () => {
    // A host variable on every host of the plays that use the role is as good as a group one.
    const perHost = await buildWith(
      prodInventory(3, (t) =>
        t
          .replace("    patroni_allowed_network: '172.20.8.0/24',\n", '')
          .replace(/(db\d: \{ ansible_host: '[^']+')/g, "$1, patroni_allowed_network: '172.20.8.0/24'"),
      ),
    );
    expect(perHost.code, perHost.stderr).toBe(0);
    const r = await buildWith(prodInventory(3, (t) => t.replace("    ntp_allow: '172.20.8.0/24',\n", '')));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /playbooks\/site\.ts:\d+:\d+: plays\[\d+\] 'Time server'\.roles\[0\] 'ntp': role 'ntp' requires 'ntp_allow' \(Network \(CIDR\) the server answers\): set it here, in the play's vars, or for the play's hosts in inventories\/prod\.ts/,
    );
  });

  it('refuses an address outside the declared network and a variable no role declares or reads', async () => {
    const r = await buildWith(
      prodInventory(3, (t) =>
        t
          .replace("db2: { ansible_host: '172.20.8.22' }", "db2: { ansible_host: '172.20.9.22' }")
          .replace("ansible_user: 'deploy',", "ansible_user: 'deploy',\n    ntp_serverz: ['172.20.8.5'],"),
      ),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /inventories\/prod\.ts(:\d+:\d+)?: groups\.databases\.hosts\.db2\.ansible_host: 172\.20\.9\.22 lies outside the inventory's network 172\.20\.8\.0\/24/,
    );
    expect(r.stderr).toMatch(
      /inventories\/prod\.ts(:\d+:\d+)?: vars\.ntp_serverz: sets 'ntp_serverz', which no role declares and nothing reads; did you mean 'ntp_servers'\?/,
    );
  });

  it("refuses a role's network variable that lets every address in, at its line, unless the inventory says anyNetwork", async () => {
    const open = (t: string) =>
      t.replace("patroni_allowed_network: '172.20.8.0/24',", "patroni_allowed_network: '0.0.0.0/0',");
    const r = await buildWith(prodInventory(3, open));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /inventories\/prod\.ts:12:\d+: vars\.patroni_allowed_network: '0\.0\.0\.0\/0' is every address: name the clients' own network/,
    );
    const allowed = await buildWith(
      prodInventory(3, (t) =>
        open(t).replace("network: '172.20.8.0/24',", "network: '172.20.8.0/24',\n  anyNetwork: true,"),
      ),
    );
    expect(allowed.code, allowed.stderr).toBe(0);
  });
});
