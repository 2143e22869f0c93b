// patroni: PostgreSQL 15 managed by Patroni, with the etcd cluster as DCS. Debian's packaging
// must not create its own cluster: Patroni alone owns the data directory.
import postgresqlParameters from './postgresql-parameters.js';
import { apt, assert, bool, choice, copy, defineRole, dict, file, flushHandlers, handler, int, list, str, systemd_service, task, template, uri } from '../../dsl/index.js';

export default defineRole({
  name: 'patroni',
  description: 'PostgreSQL managed by Patroni (etcd v3 as DCS), scram-sha-256, pg_hba limited to the stand',
  vars: {
    patroni_scope: str({ default: 'pgha', description: 'Cluster name (Patroni scope)' }),
    patroni_pg_version: int({ default: 15, description: 'PostgreSQL major version (Debian package postgresql-N)' }),
    patroni_data_dir: str({ default: '/var/lib/postgresql/{{ patroni_pg_version }}/pgha', description: 'Data directory, owned by Patroni' }),
    patroni_allowed_network: str({ default: '{{ stand_subnet }}', description: 'The only network pg_hba lets in (CIDR)' }),
    patroni_etcd_group: str({ default: 'pg', description: 'Inventory group running the etcd members' }),
    patroni_rest_api_port: int({ default: 8008, description: 'REST API port (HAProxy checks it)' }),
    patroni_rest_api_user: str({ default: 'patroni', description: 'User for the REST API\'s unsafe endpoints' }),
    patroni_rest_api_password: str({ default: '', secret: true, description: 'Password for the REST API\'s unsafe endpoints (from the secrets file)' }),
    patroni_superuser_password: str({ default: '', secret: true, description: 'Password of the postgres superuser (from the secrets file)' }),
    patroni_replication_user: str({ default: 'replicator', description: 'Replication user' }),
    patroni_replication_password: str({ default: '', secret: true, description: 'Password of the replication user (from the secrets file)' }),
    patroni_synchronous_mode: bool({ default: false, description: 'Synchronous replication: a commit waits for one replica' }),
    patroni_watchdog_mode: choice(['off', 'automatic'] as const, { default: 'automatic', description: 'Watchdog use; never required (containers have no /dev/watchdog)' }),
    patroni_ttl: int({ default: 30, description: 'Leader key TTL, s (loop_wait + 2 * retry_timeout must not exceed it)' }),
    patroni_loop_wait: int({ default: 10, description: 'Seconds between HA loop runs' }),
    patroni_retry_timeout: int({ default: 10, description: 'DCS and PostgreSQL operation retry timeout, s' }),
    patroni_maximum_lag_on_failover: int({ default: 1048576, description: 'Bytes a replica may lag and still be promoted' }),
    patroni_postgresql_parameters: dict({
      default: postgresqlParameters,
      description: 'PostgreSQL parameters bootstrapped into the DCS (typed source: postgresql-parameters.ts; the config playbook applies changes)',
    }),
    patroni_extra_packages: list({ elements: 'str', default: ['python3-psycopg2'], description: 'Extra packages on the database hosts' }),
  },
  handlers: () => [
    handler('Reload patroni', systemd_service({ name: 'patroni', state: 'reloaded' })),
  ],
  tasks: () => [
    task('Check the secrets and timing settings', assert({
      that: [
        'patroni_superuser_password | length >= 12', 'patroni_replication_password | length >= 12', 'patroni_rest_api_password | length >= 12',
        'patroni_loop_wait + 2 * patroni_retry_timeout <= patroni_ttl',
      ],
      fail_msg: 'Passwords come from the generated secrets file (npm run secrets) or PGHA_SECRETS_FILE; loop_wait + 2 * retry_timeout must be <= ttl',
      quiet: true,
    })),
    task('Create the cluster-creation settings folder', file({ path: '/etc/postgresql-common/createcluster.d', state: 'directory', owner: 'root', group: 'root', mode: '0755' })),
    task('Keep Debian from creating its own cluster', copy({
      content: '# Patroni owns the data directory: no main cluster on package install.\ncreate_main_cluster = false\n',
      dest: '/etc/postgresql-common/createcluster.d/50-pgha-no-main-cluster.conf', owner: 'root', group: 'root', mode: '0644',
    })),
    task('Install PostgreSQL and Patroni', apt({
      name: "{{ ['postgresql-' ~ patroni_pg_version, 'patroni'] + patroni_extra_packages }}", state: 'present', update_cache: true, cache_valid_time: 3600,
    })),
    task('Create the Patroni configuration folder', file({ path: '/etc/patroni', state: 'directory', owner: 'postgres', group: 'postgres', mode: '0750' })),
    task('Configure Patroni', template({ src: 'config.yml.j2', dest: '/etc/patroni/config.yml', owner: 'postgres', group: 'postgres', mode: '0600' }), {
      notify: ['Reload patroni'],
    }),
    // patronictl reads ~/.config/patroni/patronictl.yaml when given no -c: operators type
    // `patronictl list` as root, as on the original stand.
    task('Create root\'s patronictl configuration folder', file({ path: '/root/.config/patroni', state: 'directory', owner: 'root', group: 'root', mode: '0700' })),
    task('Point patronictl at the Patroni configuration', file({ src: '/etc/patroni/config.yml', dest: '/root/.config/patroni/patronictl.yaml', state: 'link' })),
    task('Start Patroni', systemd_service({ name: 'patroni', state: 'started', enabled: true })),
    flushHandlers(),
    task('Wait for the member to run PostgreSQL', uri({ url: 'http://{{ ansible_host }}:{{ patroni_rest_api_port }}/health', status_code: [200] }), {
      register: 'patroni_health', until: 'patroni_health.status == 200', retries: 60, delay: 2,
    }),
  ],
});
