// site: deploys the whole stand onto fresh hosts, in dependency order. The plays per role are
// exported so Molecule scenarios converge exactly what site does, up to their role. Each play is
// tagged with its role (`--tags dns` runs the name server and clients only).
import { type Play, playbook } from '../dsl/index.js';
import { installPackages } from '../roles-src/packages.js';
import { installedPackages } from './lib/installed-packages.js';
import { sitePackagesPlay } from './lib/site-packages.js';
import backup from '../roles-src/backup/role.js';
import dns from '../roles-src/dns/role.js';
import etcd from '../roles-src/etcd/role.js';
import haproxy from '../roles-src/haproxy/role.js';
import ntp from '../roles-src/ntp/role.js';
import patroni from '../roles-src/patroni/role.js';
import pki from '../roles-src/pki/role.js';
import vip from '../roles-src/vip/role.js';
import { checkSecrets, secretsVars } from './lib/secrets.js';
import { TLS_ON } from './lib/tls.js';

const common = { become: true, any_errors_fatal: true } as const;

/** The virtual IP's name in the zone and in every host's /etc/hosts: db.<domain>. */
const vipName = { dns_extra_records: "{{ {'db': pgha_vip} if pgha_vip is defined else {} }}" } as const;

/**
 * A database host's certificate also names the virtual IP and db.<domain>: a client that connects
 * through the virtual IP (HAProxy passes the connection on) then verifies the name too (verify-full).
 */
const onVipHost = "pgha_vip is defined and inventory_hostname in groups['pg']";
const certificateNames = {
  pki_host_names: `{{ [inventory_hostname, 'localhost'] + (['db.' ~ dns_domain] if ${onVipHost} else []) }}`,
  pki_host_addresses: `{{ [ansible_host, '127.0.0.1'] + ([pgha_vip] if ${onVipHost} else []) }}`,
  // etcd's certificates (the etcd CA's) only where etcd's clients and members run: no other host
  // (ns, the controller) can open a connection to etcd.
  pki_etcd_client: "{{ inventory_hostname in groups['pg'] or inventory_hostname in groups['etcd'] }}",
  pki_etcd_peer: "{{ inventory_hostname in groups['etcd'] }}",
} as const;

/**
 * Where operations run, as a Jinja expression: the infra host (the operation playbooks' control
 * host) and the addresses the inventory names for its operators.
 */
const adminAddresses =
  "(groups['infra'] | map('extract', hostvars, 'ansible_host') | list) + (pgha_admin_addresses | default([]))";
/**
 * Where the postgres superuser may connect from over the network: the admin addresses alone. Not
 * the members: HAProxy passes every client on from their addresses (pg_rewind has its own user).
 */
export const SUPERUSER_FROM = `{{ ${adminAddresses} }}`;

export const sitePlays = {
  ntp: [
    { name: 'Time server', hosts: 'infra', ...common, tags: ['ntp'], roles: [ntp.use({ ntp_mode: 'server' })] },
    {
      name: 'Time clients',
      hosts: 'all',
      ...common,
      tags: ['ntp'],
      roles: [
        ntp.use(
          {
            ntp_mode: 'client',
            // The database hosts peer with each other (time agrees among them when ns is away).
            ntp_peers:
              "{{ (groups['pg'] | sort | reject('equalto', inventory_hostname) | map('extract', hostvars, 'ansible_host') | list) if inventory_hostname in groups['pg'] else [] }}",
          },
          { when: "inventory_hostname not in groups['infra']" },
        ),
      ],
    },
  ],
  dns: [
    {
      name: 'Name server',
      hosts: 'infra',
      ...common,
      tags: ['dns'],
      roles: [dns.use({ dns_mode: 'server', ...vipName })],
    },
    {
      name: 'Name clients',
      hosts: 'all',
      ...common,
      tags: ['dns'],
      roles: [dns.use({ dns_mode: 'client', ...vipName })],
    },
  ],
  pki: [
    {
      name: 'Certificates from the private CA',
      hosts: 'all',
      ...common,
      tags: ['pki'],
      roles: [pki.use(certificateNames, { when: TLS_ON })],
    },
  ],
  etcd: [
    {
      name: 'The etcd cluster',
      hosts: 'etcd',
      ...common,
      tags: ['etcd'],
      vars: secretsVars,
      roles: [
        etcd.use({
          etcd_tls: '{{ pgha_tls | default(true) | bool }}',
          etcd_root_password: '{{ pgha_etcd_root_password }}',
          // Patroni reads and writes only under its namespace (the patroni role's `namespace`).
          etcd_users: [{ name: 'patroni', password: '{{ pgha_etcd_patroni_password }}', prefix: '/service/' }],
        }),
      ],
    },
  ],
  patroni: [
    {
      name: 'PostgreSQL with Patroni',
      hosts: 'pg',
      ...common,
      tags: ['patroni'],
      vars: secretsVars,
      roles: [
        patroni.use({
          patroni_superuser_password: '{{ pgha_superuser_password }}',
          patroni_replication_password: '{{ pgha_replication_password }}',
          patroni_rewind_password: '{{ pgha_rewind_password }}',
          patroni_operator_password: '{{ pgha_operator_password }}',
          patroni_rest_api_password: '{{ pgha_rest_api_password }}',
          patroni_etcd_user: 'patroni',
          patroni_etcd_password: '{{ pgha_etcd_patroni_password }}',
          // Unsafe REST calls (switchover, restart, PATCH /config) only from the members and these.
          patroni_rest_api_allowlist: `{{ ${adminAddresses} }}`,
          patroni_superuser_from: SUPERUSER_FROM,
          patroni_tls: '{{ pgha_tls | default(true) | bool }}',
          // WAL archiving to pgBackRest's repository (its transport is TLS: off without it).
          patroni_archive_command: `{{ 'pgbackrest --stanza=pgha archive-push %p' if (${TLS_ON}) else '' }}`,
        }),
      ],
    },
  ],
  haproxy: [
    {
      name: 'HAProxy on every database host',
      hosts: 'pg',
      ...common,
      tags: ['haproxy'],
      vars: secretsVars,
      roles: [
        haproxy.use({
          haproxy_stats_password: '{{ pgha_haproxy_stats_password }}',
          haproxy_patroni_tls: '{{ pgha_tls | default(true) | bool }}',
          haproxy_vip: "{{ pgha_vip | default('') }}",
        }),
      ],
    },
  ],
  backup: [
    {
      name: 'WAL archiving from the database hosts',
      hosts: 'pg',
      ...common,
      tags: ['backup'],
      roles: [backup.use({ backup_mode: 'database' }, { when: TLS_ON })],
    },
    {
      name: 'The backup repository',
      hosts: 'backup',
      ...common,
      tags: ['backup'],
      vars: secretsVars,
      roles: [
        backup.use(
          { backup_mode: 'repository', backup_cipher_pass: '{{ pgha_backup_cipher_pass }}' },
          { when: TLS_ON },
        ),
      ],
    },
  ],
  tools: [
    {
      name: 'PostgreSQL client tools on the control host of the operation playbooks',
      hosts: 'infra',
      ...common,
      tags: ['tools'],
      roles: [],
      tasks: [
        installPackages(
          'Install the PostgreSQL client and its Python driver',
          ['postgresql-client', 'python3-psycopg2'],
          { register: 'pgha_client_packages' },
        ),
      ],
    },
  ],
  vip: [
    {
      name: 'The virtual IP in front of the HAProxy hosts',
      hosts: 'pg',
      ...common,
      tags: ['vip'],
      roles: [vip.use({ vip_address: '{{ pgha_vip }}' }, { when: 'pgha_vip is defined' })],
    },
  ],
} satisfies Record<string, Play[]>;

const ORDER = [
  'ntp',
  'dns',
  'pki',
  'etcd',
  'patroni',
  'haproxy',
  'vip',
  'backup',
  'tools',
] as const satisfies readonly (keyof typeof sitePlays)[];

// A role's plays added to sitePlays but not to ORDER would be left out of site.yml without a word:
// the type check stops here instead, naming the key ("'x' does not satisfy the constraint 'never'").
type OnlyNever<T extends never> = T;
export type EveryRoleOrdered = OnlyNever<Exclude<keyof typeof sitePlays, (typeof ORDER)[number]>>;

/** The site plays before a role's: what the role needs on a fresh stand (a Molecule prepare). */
export function sitePlaysBefore(role: (typeof ORDER)[number]): Play[] {
  return ORDER.slice(0, ORDER.indexOf(role)).flatMap((r) => sitePlays[r]);
}

/** The site plays up to and including a role's. */
export function sitePlaysThrough(role: (typeof ORDER)[number]): Play[] {
  return ORDER.slice(0, ORDER.indexOf(role) + 1).flatMap((r) => sitePlays[r]);
}

const rolePlays = sitePlaysThrough('tools');

export default playbook({
  name: 'site',
  description: 'Deploy the stand: time, names, etcd, PostgreSQL with Patroni, HAProxy and the virtual IP',
  plays: [checkSecrets, installedPackages, sitePackagesPlay(rolePlays), ...rolePlays],
});
