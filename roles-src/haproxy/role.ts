// haproxy: the client entry, on every database host (the vip role keeps the virtual IP on one of
// them), so no single host carries the clients. The read-write port reaches only the leader, the read-only
// port balances over the replicas; Patroni's REST health endpoints decide which is which.
import {
  bool,
  assert,
  defaultOf,
  defineRole,
  handler,
  int,
  str,
  systemd_service,
  task,
  template,
} from '../../dsl/index.js';
import { installPackages, packagesFile, partPackages, ROLE_PACKAGES } from '../packages.js';
import patroni from '../patroni/role.js';
import pki from '../pki/role.js';

const PACKAGES = partPackages(ROLE_PACKAGES.haproxy[0]);

export default defineRole({
  name: 'haproxy',
  description: 'HAProxy in front of the Patroni cluster: a read-write port (leader) and a read-only port (replicas)',
  vars: {
    haproxy_backend_group: str({
      topic: 'Ports and backends',
      default: 'pg',
      description: 'Inventory group of the Patroni members',
    }),
    haproxy_vip: str({
      topic: 'Ports and backends',
      default: '',
      description: "The cluster's virtual IP, also bound on every host for when it arrives ('': none)",
    }),
    haproxy_rw_port: int({
      topic: 'Ports and backends',
      default: 5000,
      description: 'Read-write port: the leader only',
    }),
    haproxy_ro_port: int({
      topic: 'Ports and backends',
      default: 5001,
      description: 'Read-only port: balanced over the replicas',
    }),
    haproxy_stats_port: int({ topic: 'Statistics page', default: 7000, description: 'Statistics page port' }),
    haproxy_stats_user: str({ topic: 'Statistics page', default: 'admin', description: 'Statistics page user' }),
    haproxy_stats_password: str({
      topic: 'Statistics page',
      default: '',
      secret: true,
      description: 'Statistics page password (from the secrets file)',
    }),
    haproxy_pg_port: int({
      topic: 'Ports and backends',
      default: defaultOf(patroni, 'patroni_pg_port'),
      description: "PostgreSQL port on the members (the patroni role's patroni_pg_port)",
    }),
    haproxy_patroni_port: int({
      topic: 'Ports and backends',
      default: defaultOf(patroni, 'patroni_rest_api_port'),
      description: "Patroni REST API port on the members, for health checks (the patroni role's patroni_rest_api_port)",
    }),
    haproxy_patroni_tls: bool({
      topic: 'TLS',
      default: defaultOf(patroni, 'patroni_tls'),
      description:
        "TLS: health checks reach Patroni's REST API over HTTPS, verifying it against the CA and its name, and the statistics page is served on the network over HTTPS only (the patroni role's patroni_tls)",
    }),
    haproxy_tls_dir: str({
      topic: 'TLS',
      default: defaultOf(pki, 'pki_remote_dir'),
      description:
        "Folder of ca.crt, and of host.crt and host.key for the statistics page over TLS (the pki role's pki_remote_dir)",
    }),
    // HAProxy waits min(timeout connect, 1 s) before it retries a refused connection: with the old
    // leader stopped, every client connection routed to it waited that long, twice.
    haproxy_connect_timeout: str({
      topic: 'Ports and backends',
      default: '250ms',
      description:
        'Time to connect to a database server, and the pause before a retry, which goes to another server that is up (a connection to a leader that just stopped goes to the new one)',
    }),
    haproxy_check_interval: str({
      topic: 'Health checks',
      default: '1s',
      description: 'Health check interval of a server in its steady state',
    }),
    haproxy_check_fast_interval: str({
      topic: 'Health checks',
      default: '250ms',
      description: 'Check interval while a server changes state (between its first failed check and fall)',
    }),
    haproxy_check_down_interval: str({
      topic: 'Health checks',
      default: '500ms',
      description: 'Check interval of a server marked down: how soon a new leader is seen',
    }),
    haproxy_check_fall: int({
      topic: 'Health checks',
      default: 2,
      description: 'Failed checks before a server is marked down',
    }),
    // One pass is enough: Patroni answers 200 on /primary only while it holds the leader key.
    haproxy_check_rise: int({
      topic: 'Health checks',
      default: 1,
      description: 'Passed checks before a server is marked up',
    }),
    haproxy_replica_max_lag: str({
      topic: 'Health checks',
      default: '1MB',
      description: 'Replicas lagging more than this leave the read-only pool (/replica?lag=)',
    }),
  },
  needs: [
    {
      role: pki,
      provides:
        'the CA its checks verify the members with, and the certificate of the statistics page, in haproxy_tls_dir',
    },
    { role: patroni, provides: "the members whose REST API's health endpoints decide the leader and the replicas" },
  ],
  handlers: () => [handler('Reload haproxy', systemd_service({ name: 'haproxy', state: 'reloaded' }))],
  taskFiles: {
    // Empty: site.yml imports it so that its package list (ROLE_PACKAGES) reads the role's defaults.
    packages: packagesFile(),
  },
  tasks: () => [
    task(
      'Check the stats password',
      assert({
        that: ['haproxy_stats_password | length >= 12'],
        fail_msg: 'haproxy_stats_password comes from the generated secrets file (npm run secrets)',
        quiet: true,
      }),
    ),
    installPackages('Install HAProxy and PostgreSQL clients', PACKAGES, {
      register: 'haproxy_packages',
    }),
    task(
      'Configure HAProxy',
      template({
        src: 'haproxy.cfg.j2',
        dest: '/etc/haproxy/haproxy.cfg',
        owner: 'root',
        group: 'haproxy',
        mode: '0640',
        validate: 'haproxy -c -f %s',
      }),
      {
        notify: ['Reload haproxy'],
        diff: false,
      },
    ),
    task('Start HAProxy', systemd_service({ name: 'haproxy', state: 'started', enabled: true })),
  ],
});
