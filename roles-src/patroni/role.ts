// patroni: PostgreSQL 15 managed by Patroni, with the etcd cluster as DCS. Debian's packaging
// must not create its own cluster: Patroni alone owns the data directory.
// Patroni itself runs from upstream by default: Debian 12's 3.0.2 can let a stalled-then-resumed
// leader overwrite the new leader's key (etcd3 `_update_leader`, fixed in 3.0.3), which loses
// acknowledged writes. The controller downloads the wheels once; the hosts install them offline.
import postgresqlParameters from './postgresql-parameters.js';
import etcd from '../etcd/role.js';
import {
  assert,
  block,
  bool,
  command,
  copy,
  defaultOf,
  defineRole,
  dict,
  file,
  flushHandlers,
  handler,
  importTasks,
  int,
  list,
  pip,
  postgresql_membership,
  postgresql_privs,
  postgresql_user,
  str,
  systemd_service,
  task,
  template,
  unarchive,
  uri,
} from '../../dsl/index.js';
import { installPackages, noMainCluster, packagesFile, partPackages, ROLE_PACKAGES } from '../packages.js';
import { certificateReload } from '../certificate-reload.js';
import pki from '../pki/role.js';

const PACKAGES = partPackages(ROLE_PACKAGES.patroni[0]);

/** The role's SQL runs as postgres over the local socket (peer): no password travels. */
const overSocket = { login_unix_socket: '/var/run/postgresql', login_db: 'postgres' } as const;

export default defineRole({
  name: 'patroni',
  description: 'PostgreSQL managed by Patroni (etcd v3 as DCS), scram-sha-256, pg_hba limited to one network',
  hostCount: { min: 2, reason: 'a failover needs a replica to promote' },
  vars: {
    patroni_scope: str({ topic: 'Cluster', default: 'pgha', description: 'Cluster name (Patroni scope)' }),
    patroni_pg_version: int({
      topic: 'Cluster',
      default: 15,
      description: 'PostgreSQL major version (Debian package postgresql-N)',
    }),
    patroni_data_dir: str({
      topic: 'Cluster',
      default: '/var/lib/postgresql/{{ patroni_pg_version }}/pgha',
      description: 'Data directory, owned by Patroni',
    }),
    patroni_allowed_network: str({
      format: 'network',
      topic: 'Access',
      required: true,
      description: 'The only network pg_hba lets in (CIDR)',
    }),
    patroni_etcd_group: str({
      topic: 'etcd (the DCS)',
      default: defaultOf(etcd, 'etcd_group'),
      description: 'Inventory group running the etcd members',
    }),
    patroni_rest_api_port: int({ topic: 'Access', default: 8008, description: 'REST API port (HAProxy checks it)' }),
    patroni_tls: bool({
      topic: 'TLS',
      default: true,
      description:
        'TLS everywhere Patroni is involved: etcd with its client certificate, the REST API over HTTPS, PostgreSQL with ssl on and hostssl for the network',
    }),
    patroni_tls_dir: str({
      topic: 'TLS',
      default: defaultOf(pki, 'pki_remote_dir'),
      description: "Folder of ca.crt, host.crt and host.key (the pki role's pki_remote_dir)",
    }),
    patroni_pg_port: int({ topic: 'Cluster', default: 5432, description: 'PostgreSQL port' }),
    patroni_etcd_client_port: int({
      topic: 'etcd (the DCS)',
      default: defaultOf(etcd, 'etcd_client_port'),
      description: "Client port of the etcd members (the etcd role's etcd_client_port)",
    }),
    patroni_etcd_user: str({
      topic: 'etcd (the DCS)',
      default: '',
      description:
        "Patroni's user in etcd (the etcd role's etcd_users); empty: none, for an etcd without authentication",
    }),
    patroni_etcd_password: str({
      topic: 'etcd (the DCS)',
      default: '',
      secret: true,
      description: "Password of Patroni's user in etcd (from the secrets file)",
    }),
    patroni_rest_api_user: str({
      topic: 'Access',
      default: 'patroni',
      description: "User for the REST API's unsafe endpoints",
    }),
    patroni_rest_api_password: str({
      topic: 'Access',
      default: '',
      secret: true,
      description: "Password for the REST API's unsafe endpoints (from the secrets file)",
    }),
    patroni_rest_api_allowlist: list({
      format: 'network',
      topic: 'Access',
      elements: 'str',
      default: [],
      description:
        "Addresses or networks, besides the members, that may call the REST API's unsafe endpoints (switchover, restart, PATCH /config); empty: any address with the password",
    }),
    patroni_group: str({
      topic: 'Access',
      default: 'pg',
      description:
        "Inventory group of the cluster's members: replication and pg_rewind are accepted from their addresses alone",
    }),
    patroni_superuser_from: list({
      format: 'network',
      topic: 'Access',
      elements: 'str',
      default: [],
      description:
        "Addresses or networks the postgres superuser may connect from over the network (pg_hba); empty: none, the local socket alone. Never the members': HAProxy passes every client on from their addresses",
    }),
    patroni_superuser_password: str({
      topic: 'Access',
      default: '',
      secret: true,
      description: 'Password of the postgres superuser (from the secrets file)',
    }),
    patroni_rewind_user: str({
      topic: 'Access',
      default: 'rewind',
      description: "pg_rewind's user: reads the new leader's files, nothing else (not the superuser)",
    }),
    patroni_rewind_password: str({
      topic: 'Access',
      default: '',
      secret: true,
      description: "Password of pg_rewind's user (from the secrets file)",
    }),
    patroni_operator_user: str({
      topic: 'Access',
      default: 'pgha_operator',
      description:
        "User of the operation playbooks' checks through the virtual IP: pg_monitor, its own tables, pg_switch_wal; not a superuser",
    }),
    patroni_operator_password: str({
      topic: 'Access',
      default: '',
      secret: true,
      description: "Password of the operations' user (from the secrets file); empty: no such user",
    }),
    patroni_replication_user: str({ topic: 'Access', default: 'replicator', description: 'Replication user' }),
    patroni_replication_password: str({
      topic: 'Access',
      default: '',
      secret: true,
      description: 'Password of the replication user (from the secrets file)',
    }),
    patroni_install: str({
      topic: 'Installation',
      choices: ['upstream', 'debian'],
      default: 'upstream',
      description:
        "Where Patroni comes from: upstream (patroni_version's wheels from PyPI, each pinned by its sha256 in files/patroni-requirements.txt, through a wheelhouse) or Debian's package (3.0.2 on bookworm)",
    }),
    patroni_version: str({
      topic: 'Installation',
      default: '4.1.5',
      description: 'Upstream Patroni version (patroni_install: upstream)',
    }),
    patroni_wheelhouse: str({
      topic: 'Installation',
      default: "{{ lookup('ansible.builtin.env', 'HOME') }}/.cache/pgha/patroni-wheelhouse",
      description:
        'Folder on the controller caching the upstream wheels (filled once from PyPI; the hosts need no internet)',
    }),
    patroni_synchronous_mode: bool({
      topic: 'High availability',
      default: true,
      description: 'Synchronous replication: a commit waits for one replica, so a failover loses no acknowledged write',
    }),
    patroni_failsafe_mode: bool({
      topic: 'High availability',
      default: true,
      description: 'Keep the leader while etcd has no quorum, as long as it reaches every member',
    }),
    patroni_watchdog_mode: str({
      topic: 'High availability',
      choices: ['off', 'automatic'],
      default: 'automatic',
      description: 'Watchdog use; never required (containers have no /dev/watchdog)',
    }),
    patroni_ttl: int({
      topic: 'High availability',
      default: 20,
      description:
        'Leader key TTL, s: a dead leader is replaced about this long after its last renewal (Patroni refuses under 20)',
    }),
    patroni_loop_wait: int({ topic: 'High availability', default: 5, description: 'Seconds between HA loop runs' }),
    patroni_retry_timeout: int({
      topic: 'High availability',
      default: 7,
      description: 'DCS and PostgreSQL operation retry timeout, s (loop_wait + 2 * retry_timeout must not exceed ttl)',
    }),
    patroni_maximum_lag_on_failover: int({
      topic: 'High availability',
      default: 1048576,
      description: 'Bytes a replica may lag and still be promoted',
    }),
    patroni_postgresql_parameters: dict({
      topic: 'Cluster',
      default: postgresqlParameters,
      description:
        'PostgreSQL parameters bootstrapped into the DCS (typed source: postgresql-parameters.ts; the config playbook applies changes)',
    }),
    patroni_archive_command: str({
      topic: 'Cluster',
      default: '',
      description:
        "archive_command of every member (only the leader archives); '' leaves WAL archiving off (the site sets pgBackRest's)",
    }),
    patroni_archive_timeout: str({
      topic: 'Cluster',
      default: '60s',
      description:
        'Longest a written change waits for its WAL segment to be archived: with every host lost, at most this much is gone',
    }),
    patroni_extra_packages: list({
      topic: 'Cluster',
      elements: 'str',
      default: ['python3-psycopg2'],
      description: 'Extra packages on the database hosts',
    }),
  },
  needs: [
    { role: pki, provides: "the CA, this host's certificate and key in patroni_tls_dir (with patroni_tls)" },
    { role: etcd, provides: "the etcd cluster on the patroni_etcd_group hosts, Patroni's DCS" },
  ],
  handlers: () => [
    handler('Reload patroni', systemd_service({ name: 'patroni', state: 'reloaded' })),
    handler('Restart patroni', systemd_service({ name: 'patroni', state: 'restarted', daemon_reload: true }), {
      comment: 'A new Patroni binary on a running member: one member at a time, so the cluster keeps a leader.',
      throttle: 1,
      when: "patroni_was_running.status.ActiveState | default('') == 'active'",
    }),
  ],
  varsFiles: {
    main: {
      // Names the controller's wheelhouse after the pinned list (a new list, a new download).
      // The member's own REST API, as the tasks that call it reach it.
      patroni_rest_url:
        "{{ 'https' if patroni_tls | bool else 'http' }}://{{ ansible_host }}:{{ patroni_rest_api_port }}",
      patroni_requirements_id:
        "{{ (lookup('ansible.builtin.file', 'patroni-requirements.txt') | hash('sha256'))[:16] }}",
    },
  },
  // One task file per concern, in the order they run.
  tasks: () => [
    task(
      'Check the secrets and timing settings',
      assert({
        that: [
          'patroni_superuser_password | length >= 12',
          'patroni_replication_password | length >= 12',
          'patroni_rewind_password | length >= 12',
          'not patroni_operator_password or patroni_operator_password | length >= 12',
          "patroni_rewind_user not in ['postgres', patroni_replication_user]",
          "groups[patroni_group] | map('extract', hostvars, 'ansible_host') | intersect(patroni_superuser_from | map('regex_replace', '/(32|128)$', '')) | length == 0",
          'patroni_rest_api_password | length >= 12',
          'not patroni_etcd_user or patroni_etcd_password | length >= 12',
          'patroni_loop_wait + 2 * patroni_retry_timeout <= patroni_ttl',
        ],
        fail_msg:
          "Passwords come from the generated secrets file (npm run secrets) or PGHA_SECRETS_FILE; the rewind user is a user of its own; patroni_superuser_from names no member (HAProxy passes clients on from the members' addresses); loop_wait + 2 * retry_timeout must be <= ttl",
        quiet: true,
      }),
    ),
    importTasks('Install PostgreSQL and Patroni', 'install'),
    importTasks('Configure and start Patroni', 'configure'),
    importTasks("Keep etcd's leader away from the primary", 'leader_placement'),
    importTasks('Wait for the member and apply the HA settings', 'cluster'),
  ],
  taskFiles: {
    // Empty: site.yml imports it so that its package list (ROLE_PACKAGES) reads the role's defaults.
    packages: packagesFile(),
    install: (v) => [
      ...noMainCluster(),
      installPackages('Install PostgreSQL and Patroni', PACKAGES, { register: 'patroni_packages' }),
      task('Check whether Patroni runs already', systemd_service({ name: 'patroni' }), {
        register: 'patroni_was_running',
      }),
      block(
        'Run Patroni from upstream',
        [
          task(
            'Check that the pinned wheel list is for this Patroni version',
            assert({
              that: [
                `('patroni==' ~ ${v.patroni_version.expr} ~ ' ') in lookup('ansible.builtin.file', 'patroni-requirements.txt')`,
              ],
              fail_msg: `roles-src/patroni/files/patroni-requirements.txt pins another Patroni than patroni_version ${v.patroni_version}: run npm run gen:patroni-requirements -- --version ${v.patroni_version}`,
              quiet: true,
            }),
            { delegate_to: 'localhost', run_once: true, become: false },
          ),
          task(
            'Download the pinned Patroni wheels on the controller',
            command({
              argv: [
                '{{ ansible_playbook_python }}',
                '-m',
                'pip',
                'download',
                '--quiet',
                '--disable-pip-version-check',
                '--require-hashes',
                '--no-deps',
                '--only-binary=:all:',
                '--find-links',
                '{{ role_path }}/files/wheels',
                '--dest',
                `${v.patroni_wheelhouse}/{{ patroni_requirements_id }}`,
                '--requirement',
                '{{ role_path }}/files/patroni-requirements.txt',
              ],
              creates: `${v.patroni_wheelhouse}/{{ patroni_requirements_id }}/patroni-${v.patroni_version}-py3-none-any.whl`,
            }),
            {
              delegate_to: 'localhost',
              run_once: true,
              become: false,
              comment:
                'Every wheel pinned with its sha256 (npm run gen:patroni-requirements); none is built here. A new list is a new folder.',
            },
          ),
          task(
            'Pack the wheelhouse into one archive on the controller',
            command({
              argv: [
                'tar',
                '--sort=name',
                '--owner=0',
                '--group=0',
                '--mtime=@0',
                '-C',
                `${v.patroni_wheelhouse}/{{ patroni_requirements_id }}`,
                '-cf',
                `${v.patroni_wheelhouse}/{{ patroni_requirements_id }}.tar`,
                '.',
              ],
              creates: `${v.patroni_wheelhouse}/{{ patroni_requirements_id }}.tar`,
            }),
            {
              delegate_to: 'localhost',
              run_once: true,
              become: false,
              comment: 'One file to send: copying the wheels one by one cost about 30 s per fresh host.',
            },
          ),
          task(
            "Read the version in Patroni's virtual environment",
            command({ argv: ['/opt/patroni/bin/patroni', '--version'] }),
            {
              register: 'patroni_venv_version',
              changed_when: false,
              check_mode: false,
              failed_when: false,
            },
          ),
          task(
            'Create the wheelhouse folder on the host',
            file({
              path: '/var/cache/pgha/patroni-wheelhouse',
              state: 'directory',
              owner: 'root',
              group: 'root',
              mode: '0755',
            }),
          ),
          task(
            'Copy the pinned wheel list to the host',
            copy({
              src: 'patroni-requirements.txt',
              dest: '/var/cache/pgha/patroni-requirements.txt',
              owner: 'root',
              group: 'root',
              mode: '0644',
            }),
            { register: 'patroni_requirements_copy' },
          ),
          block(
            'Install Patroni from the wheelhouse',
            [
              task(
                'Unpack the wheelhouse on the host',
                unarchive({
                  src: `${v.patroni_wheelhouse}/{{ patroni_requirements_id }}.tar`,
                  dest: '/var/cache/pgha/patroni-wheelhouse',
                  owner: 'root',
                  group: 'root',
                }),
              ),
              task(
                'Install Patroni into its virtual environment',
                pip({
                  requirements: '/var/cache/pgha/patroni-requirements.txt',
                  virtualenv: '/opt/patroni',
                  virtualenv_command: 'python3 -m venv',
                  virtualenv_site_packages: true,
                  extra_args: '--no-index --find-links /var/cache/pgha/patroni-wheelhouse --require-hashes',
                }),
                {
                  notify: ['Restart patroni'],
                  comment: "System site packages: Debian's psycopg2 (built against its libpq) serves the venv.",
                },
              ),
            ],
            {
              when: "patroni_venv_version.stdout | default('') != 'patroni ' ~ patroni_version or patroni_requirements_copy is changed",
              comment: 'Only when the version in the virtual environment or the pinned list differs.',
            },
          ),
          task(
            'Create the Patroni unit drop-in folder',
            file({
              path: '/etc/systemd/system/patroni.service.d',
              state: 'directory',
              owner: 'root',
              group: 'root',
              mode: '0755',
            }),
          ),
          task(
            'Run the upstream Patroni from the Debian unit',
            copy({
              content: `# Patroni ${v.patroni_version} from /opt/patroni instead of Debian's package (see the patroni role).\n[Service]\nExecStart=\nExecStart=/opt/patroni/bin/patroni /etc/patroni/config.yml\n`,
              dest: '/etc/systemd/system/patroni.service.d/10-pgha-upstream.conf',
              owner: 'root',
              group: 'root',
              mode: '0644',
            }),
            { notify: ['Restart patroni'] },
          ),
          task(
            'Put the upstream patronictl first on the PATH',
            file({ src: '/opt/patroni/bin/patronictl', dest: '/usr/local/bin/patronictl', state: 'link' }),
          ),
        ],
        { when: "patroni_install == 'upstream'" },
      ),
      task(
        "Run Debian's Patroni",
        file({ path: '/etc/systemd/system/patroni.service.d/10-pgha-upstream.conf', state: 'absent' }),
        {
          when: "patroni_install == 'debian'",
          notify: ['Restart patroni'],
        },
      ),
    ],
    configure: () => [
      task(
        'Create the Patroni configuration folder',
        file({ path: '/etc/patroni', state: 'directory', owner: 'postgres', group: 'postgres', mode: '0750' }),
      ),
      task(
        'Configure Patroni',
        template({
          src: 'config.yml.j2',
          dest: '/etc/patroni/config.yml',
          owner: 'postgres',
          group: 'postgres',
          mode: '0600',
        }),
        {
          notify: ['Reload patroni'],
          diff: false,
        },
      ),
      task(
        "Create root's patronictl configuration folder",
        file({ path: '/root/.config/patroni', state: 'directory', owner: 'root', group: 'root', mode: '0700' }),
        {
          comment:
            'patronictl reads ~/.config/patroni/patronictl.yaml when given no -c: operators type\n`patronictl list` as root.',
        },
      ),
      task(
        'Point patronictl at the Patroni configuration',
        file({ src: '/etc/patroni/config.yml', dest: '/root/.config/patroni/patronictl.yaml', state: 'link' }),
      ),
      task('Start Patroni', systemd_service({ name: 'patroni', state: 'started', enabled: true, daemon_reload: true })),
    ],
    leader_placement: () => [
      task(
        'Install the etcd leader placement check',
        template({
          src: 'etcd-leader-away.py.j2',
          dest: '/usr/local/sbin/pgha-etcd-leader-away',
          owner: 'root',
          group: 'root',
          mode: '0755',
        }),
        {
          comment: 'etcd renews every lease when its leader changes: keep that leader away from the primary.',
        },
      ),
      task(
        'Define the etcd leader placement service',
        copy({
          content:
            '[Unit]\nDescription=Move etcd leadership away from the PostgreSQL primary\nAfter=etcd.service patroni.service\n\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/pgha-etcd-leader-away\n',
          dest: '/etc/systemd/system/pgha-etcd-leader-away.service',
          owner: 'root',
          group: 'root',
          mode: '0644',
        }),
      ),
      task(
        'Define the etcd leader placement timer',
        copy({
          content:
            '[Unit]\nDescription=Keep etcd leadership away from the PostgreSQL primary\n\n[Timer]\nOnActiveSec=5s\nOnUnitActiveSec=5s\nAccuracySec=1s\n\n[Install]\nWantedBy=timers.target\n',
          dest: '/etc/systemd/system/pgha-etcd-leader-away.timer',
          owner: 'root',
          group: 'root',
          mode: '0644',
        }),
      ),
      task(
        'Run the etcd leader placement check every 5 s',
        systemd_service({ name: 'pgha-etcd-leader-away.timer', state: 'started', enabled: true, daemon_reload: true }),
      ),
    ],
    cluster: (v) => [
      flushHandlers(),
      // On reload Patroni takes a renewed certificate up for its REST API and PostgreSQL.
      ...certificateReload({
        role: 'patroni',
        tlsOn: 'patroni_tls | bool',
        tlsDir: v.patroni_tls_dir,
        // Its REST API and PostgreSQL serve host.crt; its etcd client presents etcd-client.crt.
        certificates: ['host.crt', 'etcd-client.crt'],
        loadedDir: '/etc/patroni',
        service: 'patroni',
        state: 'reloaded',
        servedOn: [{ port: '{{ patroni_rest_api_port }}' }, { port: '{{ patroni_pg_port }}', starttls: 'postgres' }],
      }),
      task(
        'Wait until the member is ready: the leader, or a replica streaming from it',
        uri({
          url: '{{ patroni_rest_url }}/readiness',
          ca_path: "{{ (patroni_tls_dir ~ '/ca.crt') if patroni_tls | bool else omit }}",
          status_code: [200],
        }),
        {
          comment:
            "Patroni's readiness: the leader, or PostgreSQL running, streaming and within maximum_lag_on_failover (a replica that only runs may still be restoring or catching up).",
          register: 'patroni_health',
          // A read (GET): it runs in check mode too, which uri would skip.
          check_mode: false,
          until: 'patroni_health.status == 200',
          retries: 60,
          delay: 2,
        },
      ),
      task(
        'Ask whether this member is the leader',
        uri({
          url: '{{ patroni_rest_url }}/primary',
          ca_path: "{{ (patroni_tls_dir ~ '/ca.crt') if patroni_tls | bool else omit }}",
          status_code: [200, 503],
        }),
        {
          comment: 'Patroni answers 200 on the leader alone (its readiness answer has no body to read the role from).',
          register: 'patroni_primary',
          changed_when: false,
          check_mode: false,
        },
      ),
      block(
        "The cluster's own users, on the leader",
        [
          task(
            'The user of pg_rewind',
            postgresql_user({
              ...overSocket,
              name: v.patroni_rewind_user,
              password: v.patroni_rewind_password,
              role_attr_flags: 'LOGIN,NOSUPERUSER,NOCREATEDB,NOCREATEROLE,NOREPLICATION',
            }),
            {
              comment:
                'Patroni creates it when it bootstraps a cluster; a cluster made before it existed gets it here.',
              no_log: true,
            },
          ),
          task(
            'The user of pg_rewind reads the files it needs, nothing else',
            postgresql_privs({
              ...overSocket,
              type: 'function',
              schema: 'pg_catalog',
              objs: 'pg_ls_dir(text:boolean:boolean),pg_stat_file(text:boolean),pg_read_binary_file(text),pg_read_binary_file(text:bigint:bigint:boolean)',
              privs: 'EXECUTE',
              roles: v.patroni_rewind_user,
            }),
          ),
          block(
            "The operations' user",
            [
              task(
                "The operations' user: logs in, creates databases, not a superuser",
                postgresql_user({
                  ...overSocket,
                  name: v.patroni_operator_user,
                  password: v.patroni_operator_password,
                  role_attr_flags: 'LOGIN,CREATEDB,NOSUPERUSER,NOCREATEROLE,NOREPLICATION',
                }),
                { no_log: true },
              ),
              task(
                "It reads the server's state (pg_monitor)",
                postgresql_membership({
                  ...overSocket,
                  groups: ['pg_monitor'],
                  target_roles: [v.patroni_operator_user],
                }),
              ),
              task(
                'It keeps its marker tables in the postgres database',
                postgresql_privs({
                  ...overSocket,
                  type: 'schema',
                  objs: 'public',
                  privs: 'CREATE',
                  roles: v.patroni_operator_user,
                }),
              ),
              task(
                'It closes a WAL segment for the archive checks',
                postgresql_privs({
                  ...overSocket,
                  type: 'function',
                  schema: 'pg_catalog',
                  objs: 'pg_switch_wal()',
                  privs: 'EXECUTE',
                  roles: v.patroni_operator_user,
                }),
              ),
            ],
            { when: 'patroni_operator_password | length > 0' },
          ),
        ],
        {
          comment: "Over the local socket as postgres (peer): the superuser's password is used nowhere on the network.",
          when: 'patroni_primary.status == 200',
          become: true,
          become_user: 'postgres',
        },
      ),
      task(
        "Read the cluster's dynamic configuration",
        uri({
          url: '{{ patroni_rest_url }}/config',
          ca_path: "{{ (patroni_tls_dir ~ '/ca.crt') if patroni_tls | bool else omit }}",
        }),
        {
          comment: 'bootstrap.dcs only seeds a new cluster: a running one gets changed HA settings here.',
          register: 'patroni_dcs',
          run_once: true,
          changed_when: false,
          check_mode: false,
        },
      ),
      task(
        'Apply changed HA settings to the running cluster',
        uri({
          url: '{{ patroni_rest_url }}/config',
          ca_path: "{{ (patroni_tls_dir ~ '/ca.crt') if patroni_tls | bool else omit }}",
          method: 'PATCH',
          body_format: 'json',
          body: '{{ patroni_ha_settings }}',
          url_username: v.patroni_rest_api_user,
          url_password: v.patroni_rest_api_password,
          force_basic_auth: true,
        }),
        {
          run_once: true,
          changed_when: true,
          no_log: true,
          vars: {
            patroni_ha_settings: {
              ttl: v.patroni_ttl,
              loop_wait: v.patroni_loop_wait,
              retry_timeout: v.patroni_retry_timeout,
              maximum_lag_on_failover: v.patroni_maximum_lag_on_failover,
              synchronous_mode: v.patroni_synchronous_mode.map((e) => `${e} | bool`),
              failsafe_mode: v.patroni_failsafe_mode.map((e) => `${e} | bool`),
            },
          },
          when: "patroni_dcs.json | dict2items | selectattr('key', 'in', patroni_ha_settings.keys()) | items2dict != patroni_ha_settings",
        },
      ),
    ],
  },
});
