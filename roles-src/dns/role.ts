// dns: bind9 on ns, authoritative for the stand's domain and its reverse zone, with A and PTR
// records for every host in the inventory; every host resolves through it. Other names are
// forwarded to upstream resolvers (the ones the server had, or dns_forwarders), so hosts with an
// upstream network keep reaching their package mirrors.
import {
  block,
  blockinfile,
  bool,
  cond,
  copy,
  defineRole,
  dict,
  file,
  handler,
  list,
  set_fact,
  slurp,
  stat,
  str,
  systemd_service,
  task,
  template,
} from '../../dsl/index.js';
import { installPackages, packagesFile, partPackages, ROLE_PACKAGES, type Packages } from '../packages.js';

const [TOOLS, SERVER] = ROLE_PACKAGES.dns.map(partPackages) as [Packages, Packages];

export default defineRole({
  name: 'dns',
  description:
    'bind9 authoritative server for the stand (A and PTR records from the inventory) and its resolver clients',
  vars: {
    dns_mode: str({
      choices: ['server', 'client'],
      default: 'client',
      description: 'server: run bind9 for the zones; client: resolve through the servers',
    }),
    dns_domain: str({ required: true, description: 'Forward zone: the domain of the hosts' }),
    dns_reverse_zone: str({ required: true, description: "Reverse zone (in-addr.arpa) of the hosts' /24" }),
    dns_allow_query: str({
      required: true,
      format: 'network',
      description: 'Network (CIDR) allowed to query the server',
    }),
    dns_server_group: str({ default: 'infra', description: 'Inventory group of the name servers' }),
    dns_servers: list({
      elements: 'str',
      default: "{{ groups[dns_server_group] | map('extract', hostvars, 'ansible_host') | list }}",
      description: "Name servers the clients use (the server group's hosts by default)",
    }),
    dns_hosts: list({
      elements: 'str',
      default: "{{ groups['all'] }}",
      description: 'Inventory hosts that get A and PTR records (all hosts by default)',
    }),
    dns_extra_records: dict<string>({
      default: {},
      description: "More A and PTR records, name: IPv4 address (the site gives the virtual IP's name)",
    }),
    dns_hosts_file: bool({
      default: true,
      description:
        "Also write every record into each host's /etc/hosts (a managed block), so the hosts resolve each other while the name servers are down",
    }),
    dns_ttl: str({ default: '1h', description: 'Default TTL of the records' }),
    dns_forwarders: list({
      elements: 'str',
      description:
        'Upstream resolvers the server forwards other names to, recursion for the allowed network only. ' +
        'Unset: the resolvers the server host had before this role (remembered on the first run); [] for none',
    }),
  },
  handlers: () => [handler('Reload named', systemd_service({ name: 'named', state: 'reloaded' }))],
  taskFiles: {
    // Empty: site.yml imports it so that its package list (ROLE_PACKAGES) reads the role's defaults.
    packages: packagesFile(),
  },
  tasks: (v) => [
    installPackages('Install DNS tools', TOOLS, { register: 'dns_tools_packages' }),
    block(
      'Serve the zones',
      [
        installPackages('Install bind9', SERVER, { register: 'dns_bind_packages', updateCache: false }),
        task(
          'Create the zone folder',
          file({ path: '/etc/bind/pgha', state: 'directory', owner: 'root', group: 'bind', mode: '0755' }),
        ),
        task(
          'Remember the resolvers this host had',
          copy({
            content:
              "{{ ansible_facts['dns']['nameservers'] | default([]) | difference(dns_servers) | reject('match', '^127\\.0\\.0\\.1$') | list | to_nice_json }}\n",
            dest: '/etc/bind/pgha/upstream-resolvers.json',
            force: false,
            owner: 'root',
            group: 'bind',
            mode: '0644',
          }),
          {
            comment:
              'Once only (force: false): after this role the host resolves through itself, so its original\nresolvers are read from here on later runs.',
          },
        ),
        task('Read the remembered resolvers', slurp({ src: '/etc/bind/pgha/upstream-resolvers.json' }), {
          register: 'dns_upstream_file',
          when: 'dns_forwarders is not defined',
        }),
        task(
          'Choose the forwarders',
          set_fact({
            dns_forwarders_used:
              '{{ dns_forwarders if dns_forwarders is defined else (dns_upstream_file.content | b64decode | from_json) }}',
          }),
        ),
        task(
          'Write the zone records',
          template({
            src: '{{ item }}.records.j2',
            dest: '/etc/bind/pgha/{{ item }}.records',
            owner: 'root',
            group: 'bind',
            mode: '0644',
          }),
          {
            comment:
              'Records live in their own files: their modification time becomes the zone serial, so the\nserial changes exactly when the records do.',
            loop: ['forward', 'reverse'],
            notify: ['Reload named'],
          },
        ),
        task('Read when the records last changed', stat({ path: '/etc/bind/pgha/{{ item }}.records' }), {
          loop: ['forward', 'reverse'],
          register: 'dns_records_stat',
        }),
        task(
          'Write the zone files',
          template({
            src: 'zone.db.j2',
            dest: '/etc/bind/pgha/{{ item.item }}.db',
            owner: 'root',
            group: 'bind',
            mode: '0644',
            validate: "named-checkzone -i none {{ dns_domain if item.item == 'forward' else dns_reverse_zone }} %s",
          }),
          {
            loop: '{{ dns_records_stat.results }}',
            loop_control: { label: '{{ item.item }}' },
            notify: ['Reload named'],
          },
        ),
        task(
          'Configure bind9 options',
          template({
            src: 'named.conf.options.j2',
            dest: '/etc/bind/named.conf.options',
            owner: 'root',
            group: 'bind',
            mode: '0644',
          }),
          {
            notify: ['Reload named'],
          },
        ),
        task(
          'Declare the zones',
          template({
            src: 'named.conf.local.j2',
            dest: '/etc/bind/named.conf.local',
            owner: 'root',
            group: 'bind',
            mode: '0644',
            validate: 'named-checkconf %s',
          }),
          {
            notify: ['Reload named'],
          },
        ),
        task('Start bind9', systemd_service({ name: 'named', state: 'started', enabled: true })),
      ],
      { when: cond`${v.dns_mode} == ${'server'}` },
    ),
    task(
      "Keep the cluster's names in /etc/hosts",
      blockinfile({
        path: '/etc/hosts',
        marker: '# {mark} pgha cluster names (dns role)',
        block:
          "{% for h in dns_hosts | sort %}{{ hostvars[h]['ansible_host'] }} {{ h }}.{{ dns_domain }} {{ h }}\n{% endfor %}{% for n, a in dns_extra_records | dictsort %}{{ a }} {{ n }}.{{ dns_domain }} {{ n }}\n{% endfor %}",
      }),
      {
        comment: 'The name servers are one more thing to lose: with them down, the hosts still find each other.',
        when: 'dns_hosts_file | bool',
      },
    ),
    task(
      "Resolve through the stand's name servers",
      template({
        src: 'resolv.conf.j2',
        dest: '/etc/resolv.conf',
        owner: 'root',
        group: 'root',
        mode: '0644',
        follow: false,
      }),
    ),
  ],
});
