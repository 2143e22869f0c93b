// etcd: a three-member etcd v3 cluster on the PostgreSQL hosts, the DCS Patroni relies on.
// Debian starts a single-node etcd on install; the cluster uses a data folder of its own so
// that throwaway member never joins it. A member whose data is gone (a replaced disk) joins the
// running cluster in place of its old self: remove + add, started as `existing`.
import {
  assert,
  block,
  bool,
  command,
  copy,
  defaultOf,
  defineRole,
  flushHandlers,
  handler,
  importTasks,
  int,
  list,
  set_fact,
  shell,
  stat,
  str,
  systemd_service,
  task,
  template,
  user,
} from '../../dsl/index.js';
import { installPackages, packagesFile, partPackages, ROLE_PACKAGES } from '../packages.js';
import { certificateReload } from '../certificate-reload.js';
import { ETCD_PEER_CN } from '../pki/etcd-certificates.js';
import pki from '../pki/role.js';

const PACKAGES = partPackages(ROLE_PACKAGES.etcd[0]);

const etcdctl = 'etcdctl --dial-timeout=2s --command-timeout=5s';
/** etcdctl as etcd's root user: membership changes need it once authentication is on. */
const adminctl = '/usr/local/sbin/pgha-etcdctl --dial-timeout=2s --command-timeout=5s';
const scheme = '{{ etcd_scheme }}';
/** The other members' client URLs (vars/main.yml's etcd_other_client_urls). */
const others = '{{ etcd_other_client_urls }}';
/** etcdctl's environment (vars/main.yml's etcd_ctl_environment). */
const etcdctlEnv = '{{ etcd_ctl_environment }}';

/**
 * Waits until the member at `endpoint` answers healthy (a read through the cluster, so with its
 * quorum). As root (pgha-etcdctl): once authentication is on, etcdctl counts a member that
 * answers "user name is empty" as unhealthy.
 */
function memberHealthy(name: string, endpoint: string) {
  return task(name, command({ cmd: `${adminctl} --endpoints=${endpoint} endpoint health` }), {
    register: 'etcd_health',
    check_mode: false,
    until: "etcd_health.rc == 0 and (etcd_health.stdout + etcd_health.stderr) is search('is healthy')",
    retries: 30,
    delay: 2,
    changed_when: false,
    environment: etcdctlEnv,
  });
}

/** The note that authentication is on: from then on the member takes clients from the network. */
function noteAuthOn(name: string, options: { when?: string } = {}) {
  return task(
    name,
    copy({
      content: 'etcd authentication is on: this member takes clients from the network\n',
      dest: '{{ etcd_auth_marker }}',
      owner: 'root',
      group: 'root',
      mode: '0644',
    }),
    options,
  );
}

export default defineRole({
  name: 'etcd',
  description: 'etcd v3 cluster (one member per host of the play) listening on the private addresses',
  hostCount: {
    odd: true,
    reason: 'etcd stays writable while a majority of its members runs, and an even member adds no failure it survives',
  },
  vars: {
    etcd_cluster_name: str({ topic: 'Cluster', default: 'pgha', description: 'Cluster token and data folder name' }),
    etcd_group: str({ topic: 'Cluster', default: 'etcd', description: 'Inventory group whose hosts are the members' }),
    etcd_client_port: int({ topic: 'Cluster', default: 2379, description: 'Client port' }),
    etcd_peer_port: int({ topic: 'Cluster', default: 2380, description: 'Peer port' }),
    etcd_heartbeat_interval: int({ topic: 'Timing', default: 100, description: 'Heartbeat interval, ms' }),
    etcd_election_timeout: int({ topic: 'Timing', default: 1000, description: 'Election timeout, ms' }),
    etcd_tls: bool({
      topic: 'TLS',
      default: true,
      description:
        'Client and peer traffic over TLS (the pki role installs the certificates): clients present a certificate of the etcd CA (pki_etcd_client) and, with etcd_auth, a user; peers their peer certificate (pki_etcd_peer, common name etcd_peer_common_name); switch it on a new cluster',
    }),
    etcd_tls_dir: str({
      topic: 'TLS',
      default: defaultOf(pki, 'pki_remote_dir'),
      description:
        "Folder of ca.crt, host.crt and host.key, etcd-ca.crt, etcd-client.crt/.key, etcd-server.crt/.key and etcd-peer.crt/.key (the pki role's pki_remote_dir)",
    }),
    etcd_peer_common_name: str({
      topic: 'TLS',
      default: ETCD_PEER_CN,
      description: "The only common name etcd's peer port takes: the pki role's peer certificates have it",
    }),
    etcd_auth: bool({
      topic: 'Authentication',
      default: true,
      description:
        "etcd's own authentication: a root user for the administration and a user per client (etcd_users), each limited to its key prefix; a certificate of the CA alone can then write nothing",
    }),
    etcd_root_password: str({
      topic: 'Authentication',
      default: '',
      secret: true,
      description:
        "Password of etcd's root user (from the secrets file); root on a member uses it through pgha-etcdctl",
    }),
    etcd_users: list({
      topic: 'Authentication',
      elements: 'dict',
      default: [],
      secret: true,
      description:
        'The clients, each {name, password, prefix}: a user of that name whose role reads and writes only keys under prefix',
    }),
  },
  // Named once: several etcdctl tasks use them.
  varsFiles: {
    main: {
      etcd_scheme: "{{ 'https' if etcd_tls | bool else 'http' }}",
      etcd_peer_url: '{{ etcd_scheme }}://{{ ansible_host }}:{{ etcd_peer_port }}',
      etcd_other_client_urls:
        "{{ groups[etcd_group] | difference([inventory_hostname]) | map('extract', hostvars, 'ansible_host') | map('regex_replace', '^(.*)$', etcd_scheme ~ '://\\1:' ~ etcd_client_port) | join(',') }}",
      // root's credentials for pgha-etcdctl and pgha-etcd-auth: readable by root only.
      etcd_credentials_file: '/usr/local/etc/pgha-etcd-auth.json',
      // Written once authentication is on: until then the member takes clients on 127.0.0.1 only.
      etcd_auth_marker: '/var/lib/etcd/{{ etcd_cluster_name }}.auth-on',
      // API v3 and, with TLS, the CA and this host's client certificate.
      etcd_ctl_environment: {
        ETCDCTL_API: '3',
        ETCDCTL_CACERT: "{{ (etcd_tls_dir ~ '/etcd-ca.crt') if etcd_tls | bool else '' }}",
        ETCDCTL_CERT: "{{ (etcd_tls_dir ~ '/etcd-client.crt') if etcd_tls | bool else '' }}",
        ETCDCTL_KEY: "{{ (etcd_tls_dir ~ '/etcd-client.key') if etcd_tls | bool else '' }}",
      },
    },
  },
  needs: [{ role: pki, provides: "the CA, this host's certificate and key in etcd_tls_dir (with etcd_tls)" }],
  handlers: () => [handler('Restart etcd', systemd_service({ name: 'etcd', state: 'restarted', daemon_reload: true }))],
  // One task file per concern, in the order they run.
  tasks: () => [
    task(
      'Check the authentication settings',
      assert({
        that: [
          'not etcd_auth | bool or etcd_root_password | length >= 12',
          "not etcd_auth | bool or etcd_users | rejectattr('password', 'defined') | list | length == 0",
          "not etcd_auth | bool or etcd_users | map(attribute='password') | map('length') | select('lt', 12) | list | length == 0",
          "etcd_users | rejectattr('name', 'defined') | list | length == 0",
          "etcd_users | rejectattr('prefix', 'defined') | list | length == 0",
        ],
        fail_msg:
          'With etcd_auth, etcd_root_password and every password in etcd_users need 12 or more characters (the secrets file, npm run secrets); each etcd_users entry needs name, password and prefix',
        quiet: true,
      }),
    ),
    importTasks('Install etcd and its administration tools', 'install'),
    importTasks('Join or replace this member in the cluster', 'membership'),
    importTasks('Configure and start the member, then its users', 'start'),
    importTasks('Write the steady configuration after a join', 'steady_state'),
  ],
  taskFiles: {
    // Empty: site.yml imports it so that its package list (ROLE_PACKAGES) reads the role's defaults.
    packages: packagesFile(),
    install: () => [
      installPackages('Install etcd', PACKAGES, { register: 'etcd_packages' }),
      task(
        "Write root's etcd credentials (root only)",
        copy({
          content: "{{ {'root_password': etcd_root_password, 'users': etcd_users} | to_json }}",
          dest: '{{ etcd_credentials_file }}',
          owner: 'root',
          group: 'root',
          mode: '0600',
        }),
        { when: 'etcd_auth | bool', no_log: true, diff: false },
      ),
      task(
        "Install etcd's administration tools",
        template({
          src: '{{ item }}.py.j2',
          dest: '/usr/local/sbin/{{ item }}',
          owner: 'root',
          group: 'root',
          mode: '0700',
        }),
        { loop: ['pgha-etcdctl', 'pgha-etcd-auth'] },
      ),
      task("Let etcd read the host's key", user({ name: 'etcd', groups: ['ssl-cert'], append: true }), {
        when: 'etcd_tls | bool',
        notify: ['Restart etcd'],
      }),
    ],
    membership: (v) => [
      task("Look for this member's data", stat({ path: `/var/lib/etcd/${v.etcd_cluster_name}/member` }), {
        register: 'etcd_data',
      }),
      task(
        'Ask the other members for the running cluster',
        shell({
          cmd: [
            `for host in {{ groups[etcd_group] | difference([inventory_hostname]) | map('extract', hostvars, 'ansible_host') | map('quote') | join(' ') }}; do`,
            `  if timeout 2 bash -c "exec 3<>/dev/tcp/$host/${v.etcd_client_port}" 2>/dev/null; then`,
            `    exec ${etcdctl} --endpoints=${others} member list`,
            '  fi',
            'done',
            "echo 'no other member listens on its client port' >&2",
            'exit 1',
          ].join('\n'),
        }),
        {
          // Only a member without data can be one that joins; and where no other member listens
          // (a fresh cluster) the refused connections answer at once, where etcdctl would wait out
          // its command timeout.
          when: 'not etcd_data.stat.exists',
          register: 'etcd_running',
          changed_when: false,
          check_mode: false,
          failed_when: false,
          environment: etcdctlEnv,
        },
      ),
      task(
        'Decide whether this member joins a running cluster',
        set_fact({ etcd_joining: '{{ not etcd_data.stat.exists and etcd_running.rc == 0 }}' }),
        {
          comment: "No data here while the others run a cluster: this host's disk was replaced.",
        },
      ),
      task(
        'Choose the initial cluster state',
        set_fact({ etcd_initial_cluster_state: "{{ 'existing' if etcd_joining else 'new' }}" }),
      ),
      block(
        'Replace the lost member in the running cluster',
        [
          task(
            'Remove the lost member',
            command({ cmd: `${adminctl} --endpoints=${others} member remove {{ item }}` }),
            {
              loop: "{{ etcd_running.stdout_lines | select('search', '://' ~ ansible_host ~ ':' ~ etcd_peer_port ~ ',') | map('split', ',') | map('first') | list }}",
              environment: etcdctlEnv,
              changed_when: true,
            },
          ),
          task(
            'Add this host as a new member',
            command({
              cmd: `${adminctl} --endpoints=${others} member add {{ inventory_hostname }} --peer-urls={{ etcd_peer_url }}`,
            }),
            {
              environment: etcdctlEnv,
              changed_when: true,
            },
          ),
        ],
        { when: 'etcd_joining' },
      ),
    ],
    start: (v) => [
      task("Look whether etcd's authentication is on here", stat({ path: '{{ etcd_auth_marker }}' }), {
        register: 'etcd_auth_marker_file',
      }),
      task(
        'Ask the running member whether authentication is on',
        command({ cmd: `${etcdctl} --endpoints=${scheme}://127.0.0.1:${v.etcd_client_port} get /pgha-auth-probe` }),
        {
          comment:
            'A member with data and no note ran before the note came in (or a first deploy stopped half-way):\nasked as a client without a user, it refuses ("permission denied") when authentication is on.',
          when: 'etcd_auth | bool and not etcd_auth_marker_file.stat.exists and etcd_data.stat.exists',
          register: 'etcd_auth_probe',
          changed_when: false,
          failed_when: false,
          check_mode: false,
          environment: etcdctlEnv,
        },
      ),
      task(
        'Keep clients off the network until authentication is on',
        set_fact({
          etcd_clients_local_only:
            "{{ etcd_auth | bool and not etcd_auth_marker_file.stat.exists and not (etcd_auth_probe.stderr | default('')) is search('permission denied|user name is empty') }}",
        }),
        {
          comment:
            'A new cluster has no users yet: a client of the network (any holder of an etcd client\ncertificate) could write, or create root first. Its members take clients on 127.0.0.1 alone\nuntil pgha-etcd-auth has turned authentication on; a replaced member likewise until it has joined.',
        },
      ),
      noteAuthOn('Note that authentication was on already', {
        when: 'etcd_auth | bool and not etcd_auth_marker_file.stat.exists and not etcd_clients_local_only',
      }),
      task(
        'Configure the etcd member',
        template({ src: 'etcd.default.j2', dest: '/etc/default/etcd', owner: 'root', group: 'root', mode: '0644' }),
        {
          notify: ['Restart etcd'],
        },
      ),
      task('Enable etcd', systemd_service({ name: 'etcd', enabled: true })),
      {
        ...flushHandlers(),
        comment: 'Members must start together to form the cluster: restart now, on every member at once.',
      },
      // etcd reads its certificate at start (addressed by IP it keeps the one it loaded first): a
      // renewed one needs a restart, one member at a time so that the cluster keeps its quorum.
      ...certificateReload({
        role: 'etcd',
        tlsOn: 'etcd_tls | bool',
        tlsDir: v.etcd_tls_dir,
        certificates: ['etcd-server.crt', 'etcd-peer.crt'],
        loadedDir: '/var/lib/etcd',
        service: 'etcd',
        state: 'restarted',
        oneAtATime: true,
      }),
      memberHealthy('Wait until every member is healthy', `${scheme}://127.0.0.1:${v.etcd_client_port}`),
      task("Turn on etcd's authentication and keep its users", command({ cmd: '/usr/local/sbin/pgha-etcd-auth' }), {
        when: 'etcd_auth | bool',
        run_once: true,
        register: 'etcd_auth_result',
        changed_when: '(etcd_auth_result.stdout | from_json).changed',
      }),
      task(
        'Remember whether this member opens its client port now',
        set_fact({ etcd_opening: '{{ etcd_clients_local_only }}' }),
        {
          comment:
            "The block's condition of its own: Ansible checks a block's when before each of its tasks, and the\nblock sets etcd_clients_local_only, which would skip the rest of it.",
        },
      ),
      block(
        'Open the client port to the network, authentication on',
        [
          noteAuthOn('Note that authentication is on'),
          task('Let clients in from the network', set_fact({ etcd_clients_local_only: false })),
          task(
            'Configure the member for clients of the network',
            template({ src: 'etcd.default.j2', dest: '/etc/default/etcd', owner: 'root', group: 'root', mode: '0644' }),
          ),
          task('Restart etcd, one member at a time', systemd_service({ name: 'etcd', state: 'restarted' }), {
            throttle: 1,
          }),
          memberHealthy(
            'Wait until the member answers on the network',
            `${scheme}://{{ ansible_host }}:${v.etcd_client_port}`,
          ),
        ],
        { when: 'etcd_opening' },
      ),
    ],
    steady_state: () => [
      task('Return to the steady initial cluster state', set_fact({ etcd_initial_cluster_state: 'new' }), {
        when: 'etcd_joining',
        comment:
          'The joined member has data now, which etcd prefers to the initial state: the file returns to\nwhat every later run writes, so the next run changes nothing.',
      }),
      task(
        'Write the steady configuration of the joined member',
        template({ src: 'etcd.default.j2', dest: '/etc/default/etcd', owner: 'root', group: 'root', mode: '0644' }),
        {
          when: 'etcd_joining',
        },
      ),
    ],
  },
});
