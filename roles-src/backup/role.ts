// backup: pgBackRest. The repository lives on the hosts of a group of its own (the stand: ns),
// encrypted at rest with a key only they hold; the database hosts push WAL to it asynchronously
// and the repository host pulls scheduled full and differential backups from a replica. Both
// sides talk through pgBackRest's TLS server with the project CA's certificates, each side
// accepting only the other's certificate names.
import {
  assert,
  command,
  copy,
  defaultOf,
  defineRole,
  fail,
  file,
  handler,
  importTasks,
  int,
  str,
  systemd_service,
  task,
  template,
} from '../../dsl/index.js';
import {
  installPackages,
  noMainCluster,
  packagesFile,
  partPackages,
  ROLE_PACKAGES,
  type Packages,
} from '../packages.js';

import pki from '../pki/role.js';
import patroni from '../patroni/role.js';

/** pgBackRest, and the restore drill's scratch instance on the repository host. */
const [PACKAGES, DRILL_PACKAGES] = ROLE_PACKAGES.backup.map(partPackages) as [Packages, Packages];
const REPOSITORY = "backup_mode == 'repository'";

const UNIT_DIR = '/etc/systemd/system';

const STANZA_STATUS = '(backup_info.stdout | from_json | first).status.code';

/** Stops the run when a pgBackRest command on the stanza failed, saying what a mismatch means. */
function stanzaFailure(command: string, register: string) {
  return task(
    `Stop when pgBackRest's ${command} failed`,
    fail({
      msg: `pgBackRest's ${command} failed: {{ ${register}.stderr | default('') | trim }}{{ ' The repository holds the backups of a cluster with another system identifier. If the database hosts were rebuilt, bring the cluster back from the repository with out/restore.yml and run site.yml again; the repository is never overwritten.' if 'do not match' in ${register}.stderr | default('') else '' }}`,
    }),
    { when: `backup_mode == 'repository' and ${register}.rc | default(0) != 0` },
  );
}

export default defineRole({
  name: 'backup',
  description: 'pgBackRest: an encrypted repository host, asynchronous WAL archiving, scheduled backups from a replica',
  vars: {
    backup_mode: str({
      topic: 'Cluster and hosts',
      choices: ['repository', 'database'],
      default: 'database',
      description: 'repository: keep the backups and take them; database: a PostgreSQL host that archives to it',
    }),
    backup_stanza: str({
      topic: 'Cluster and hosts',
      default: 'pgha',
      description: 'pgBackRest stanza (one per cluster)',
    }),
    backup_repository_group: str({
      topic: 'Cluster and hosts',
      default: 'backup',
      description: 'Inventory group of the repository host',
    }),
    backup_database_group: str({
      topic: 'Cluster and hosts',
      default: 'pg',
      description: 'Inventory group of the PostgreSQL hosts',
    }),
    backup_repo_path: str({
      topic: 'Repository',
      default: '/var/lib/pgbackrest',
      description: 'Repository folder on the repository host',
    }),
    backup_copy_dir: str({
      topic: 'Repository',
      default: '/var/lib/pgbackrest-copies',
      description:
        "Copies of the repository that no database host can delete (root's folders outside the repository, hard links), made after each scheduled backup and at each restore drill",
    }),
    backup_copy_keep: int({
      topic: 'Repository',
      default: 7,
      description: 'Copies of the repository kept (the newest)',
    }),
    backup_cipher_pass: str({
      topic: 'Repository',
      default: '',
      secret: true,
      description: 'Encryption key of the repository (from the secrets file; the repository host only)',
    }),
    backup_tls_dir: str({
      topic: 'TLS',
      default: defaultOf(pki, 'pki_remote_dir'),
      description: "Folder of ca.crt, host.crt and host.key (the pki role's pki_remote_dir)",
    }),
    backup_tls_port: int({ topic: 'TLS', default: 8432, description: "Port of pgBackRest's TLS server on every host" }),
    backup_pg_data_dir: str({
      topic: 'Cluster and hosts',
      default: '/var/lib/postgresql/15/pgha',
      description: "PostgreSQL data directory (the patroni role's patroni_data_dir)",
    }),
    backup_pg_port: int({ topic: 'Cluster and hosts', default: 5432, description: 'PostgreSQL port' }),
    backup_retention_full: int({
      topic: 'Repository',
      default: 2,
      description: 'Full backups kept (older ones and their WAL expire)',
    }),
    backup_retention_diff: int({ topic: 'Repository', default: 7, description: 'Differential backups kept' }),
    backup_full_schedule: str({
      topic: 'Schedules',
      default: 'Sun *-*-* 01:00:00',
      description: 'When the full backup runs (systemd OnCalendar)',
    }),
    backup_diff_schedule: str({
      topic: 'Schedules',
      default: 'Mon..Sat *-*-* 01:00:00',
      description: 'When the differential backup runs (systemd OnCalendar)',
    }),
    backup_process_max: int({ topic: 'Repository', default: 2, description: 'Parallel processes of a backup' }),
    backup_pg_version: str({
      topic: 'Restore drill',
      default: '15',
      description: "PostgreSQL major version (the drill's server binaries)",
    }),
    backup_drill_schedule: str({
      topic: 'Restore drill',
      default: 'Sat *-*-* 03:00:00',
      description: 'When the restore drill runs on the repository host (systemd OnCalendar)',
    }),
    backup_drill_dir: str({
      topic: 'Restore drill',
      default: '/var/lib/pgbackrest-drill',
      description: "The drill's scratch folder on the repository host (its data directory and last result)",
    }),
    backup_drill_port: int({
      topic: 'Restore drill',
      default: 5499,
      description: "The drill's scratch instance port (local socket only)",
    }),
  },
  needs: [
    { role: pki, provides: "the certificates of pgBackRest's TLS server and client, in backup_tls_dir" },
    {
      role: patroni,
      provides: 'a running PostgreSQL on the database hosts, whose archive_command pushes to the repository',
    },
  ],
  handlers: () => [
    handler('Restart pgbackrest-server', systemd_service({ name: 'pgbackrest-server', state: 'restarted' })),
  ],
  // One task file per concern, in the order they run.
  tasks: () => [
    task(
      'Check the repository key',
      assert({
        that: ["backup_mode != 'repository' or backup_cipher_pass is match('^[A-Za-z0-9_-]{32,}$')"],
        fail_msg:
          'backup_cipher_pass comes from the generated secrets file (npm run secrets): 32 or more letters, digits, - or _',
        quiet: true,
      }),
    ),
    importTasks('Install and configure pgBackRest', 'install'),
    importTasks('The restore drill on the repository host', 'restore_drill'),
    importTasks('The TLS server of pgBackRest', 'tls_server'),
    importTasks('The scheduled full and differential backups', 'schedules'),
    importTasks('The stanza, the first full backup and the end-to-end check', 'stanza'),
  ],
  taskFiles: {
    // Empty: site.yml imports it so that its package list (ROLE_PACKAGES) reads the role's defaults.
    packages: packagesFile(),
    install: () => [
      installPackages('Install pgBackRest', PACKAGES, { register: 'backup_packages' }),
      task(
        "Create pgBackRest's folders",
        file({
          path: '{{ item.path }}',
          state: 'directory',
          owner: '{{ item.owner }}',
          group: 'postgres',
          mode: '0750',
        }),
        {
          loop: [
            { path: '/etc/pgbackrest', owner: 'root' },
            { path: '/var/log/pgbackrest', owner: 'postgres' },
            {
              path: "{{ backup_repo_path if backup_mode == 'repository' else '/var/spool/pgbackrest' }}",
              owner: 'postgres',
            },
          ],
          loop_control: { label: '{{ item.path }}' },
        },
      ),
      task(
        'Configure pgBackRest',
        template({
          src: 'pgbackrest.conf.j2',
          dest: '/etc/pgbackrest.conf',
          owner: 'root',
          group: 'postgres',
          mode: '0640',
        }),
        { notify: ['Restart pgbackrest-server'], diff: false },
      ),
    ],
    restore_drill: () => [
      task(
        'Configure the restore drill',
        template({
          src: 'drill.conf.j2',
          dest: '/etc/pgbackrest/drill.conf',
          owner: 'root',
          group: 'postgres',
          mode: '0640',
        }),
        {
          comment: 'The restore drill (pgha-restore-drill) restores into a scratch folder with this configuration.',
          when: "backup_mode == 'repository'",
          diff: false,
        },
      ),
      ...noMainCluster(REPOSITORY),
      installPackages("Install the drill's PostgreSQL server", DRILL_PACKAGES, {
        register: 'backup_drill_packages',
        when: REPOSITORY,
        updateCache: false,
      }),
      task(
        'Install the copy of the repository no database host can delete',
        template({
          src: 'repo-copy.sh.j2',
          dest: '/usr/local/sbin/pgha-repo-copy',
          owner: 'root',
          group: 'root',
          mode: '0755',
        }),
        { when: REPOSITORY },
      ),
      task(
        'Install the restore drill',
        template({
          src: 'restore-drill.sh.j2',
          dest: '/usr/local/sbin/pgha-restore-drill',
          owner: 'root',
          group: 'root',
          mode: '0755',
        }),
        { when: "backup_mode == 'repository'" },
      ),
      // The drill runs as postgres and writes only here: no root process writes through a path postgres controls.
      task(
        "Make the restore drill's scratch folder",
        file({
          path: '{{ backup_drill_dir }}',
          state: 'directory',
          owner: 'postgres',
          group: 'postgres',
          mode: '0700',
        }),
        { when: "backup_mode == 'repository'" },
      ),
      task(
        'Define and schedule the restore drill',
        copy({
          content: '{{ item.content }}',
          dest: `${UNIT_DIR}/{{ item.unit }}`,
          owner: 'root',
          group: 'root',
          mode: '0644',
        }),
        {
          loop: [
            {
              unit: 'pgha-restore-drill.service',
              content:
                '[Unit]\nDescription=Restore drill: the newest backup restored and checked in a scratch instance\nAfter=network-online.target\n\n[Service]\nType=oneshot\nUser=postgres\nGroup=postgres\n# The drill restores from a fresh copy of the repository (root makes it: the + prefix).\nExecStartPre=+/usr/local/sbin/pgha-repo-copy\nExecStart=/usr/local/sbin/pgha-restore-drill\n',
            },
            {
              unit: 'pgha-restore-drill.timer',
              content:
                '[Unit]\nDescription=Scheduled restore drill\n\n[Timer]\nOnCalendar={{ backup_drill_schedule }}\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n',
            },
          ],
          loop_control: { label: '{{ item.unit }}' },
          when: "backup_mode == 'repository'",
        },
      ),
      task(
        'Start the restore drill timer',
        systemd_service({ name: 'pgha-restore-drill.timer', state: 'started', enabled: true, daemon_reload: true }),
        { when: "backup_mode == 'repository'" },
      ),
    ],
    tls_server: () => [
      task(
        "Define pgBackRest's TLS server",
        copy({
          content:
            '[Unit]\nDescription=pgBackRest TLS server\nAfter=network-online.target\n\n[Service]\nUser=postgres\nExecStart=/usr/bin/pgbackrest server\nExecReload=/bin/kill -HUP $MAINPID\nRestart=always\nRestartSec=2\n\n[Install]\nWantedBy=multi-user.target\n',
          dest: `${UNIT_DIR}/pgbackrest-server.service`,
          owner: 'root',
          group: 'root',
          mode: '0644',
        }),
        { notify: ['Restart pgbackrest-server'] },
      ),
      task(
        "Start pgBackRest's TLS server",
        systemd_service({ name: 'pgbackrest-server', state: 'started', enabled: true, daemon_reload: true }),
      ),
    ],
    schedules: () => [
      task(
        'Define the scheduled backups',
        copy({
          content:
            '[Unit]\nDescription=pgBackRest %i backup of stanza {{ backup_stanza }}\nAfter=network-online.target\n\n[Service]\nType=oneshot\nUser=postgres\nExecStart=/usr/bin/pgbackrest --stanza={{ backup_stanza }} --type=%i backup\n# Then a copy no database host can delete (root makes it: the + prefix).\nExecStartPost=+/usr/local/sbin/pgha-repo-copy\n',
          dest: `${UNIT_DIR}/pgha-backup@.service`,
          owner: 'root',
          group: 'root',
          mode: '0644',
        }),
        { when: "backup_mode == 'repository'" },
      ),
      task(
        'Schedule the full and differential backups',
        copy({
          content:
            '[Unit]\nDescription=Scheduled pgBackRest {{ item.type }} backup\n\n[Timer]\nOnCalendar={{ item.calendar }}\nPersistent=true\nUnit=pgha-backup@{{ item.type }}.service\n\n[Install]\nWantedBy=timers.target\n',
          dest: `${UNIT_DIR}/pgha-backup-{{ item.type }}.timer`,
          owner: 'root',
          group: 'root',
          mode: '0644',
        }),
        {
          loop: [
            { type: 'full', calendar: '{{ backup_full_schedule }}' },
            { type: 'diff', calendar: '{{ backup_diff_schedule }}' },
          ],
          loop_control: { label: '{{ item.type }}' },
          when: "backup_mode == 'repository'",
        },
      ),
      task(
        'Start the backup timers',
        systemd_service({ name: 'pgha-backup-{{ item }}.timer', state: 'started', enabled: true, daemon_reload: true }),
        { loop: ['full', 'diff'], when: "backup_mode == 'repository'" },
      ),
    ],
    // An unchanged run reads the repository (0.1 s) instead of running stanza-create (2 s): the
    // stanza is created only when missing or incomplete; `check` compares the running cluster with
    // the stanza on every run either way.
    stanza: () => [
      task(
        'Read what the repository holds',
        command({ argv: ['pgbackrest', '--stanza={{ backup_stanza }}', '--output=json', 'info'] }),
        {
          become: true,
          become_user: 'postgres',
          register: 'backup_info',
          changed_when: false,
          check_mode: false,
          when: "backup_mode == 'repository'",
        },
      ),
      task(
        'Create the stanza (none yet, or its info files incomplete)',
        command({ argv: ['pgbackrest', '--stanza={{ backup_stanza }}', '--log-level-console=info', 'stanza-create'] }),
        {
          comment: 'stanza-create succeeds again on an existing stanza that matches the cluster.',
          become: true,
          become_user: 'postgres',
          register: 'backup_stanza_create',
          inCheckMode: 'skipped: a missing stanza is not created (the plan lists this task as unknown)',
          changed_when: "'already exists' not in backup_stanza_create.stderr + backup_stanza_create.stdout",
          failed_when: false,
          // info's status: 0 ok, 2 no valid backup yet, 6 a backup running; the rest need stanza-create.
          when: `backup_mode == 'repository' and ${STANZA_STATUS} not in [0, 2, 6]`,
        },
      ),
      stanzaFailure('stanza-create', 'backup_stanza_create'),
      task(
        'Take the first full backup',
        command({ argv: ['pgbackrest', '--stanza={{ backup_stanza }}', '--type=full', 'backup'] }),
        {
          comment: 'A new cluster can be recovered from its first minutes on, not only after the first schedule.',
          become: true,
          become_user: 'postgres',
          changed_when: true,
          when: "backup_mode == 'repository' and (backup_info.stdout | from_json | first).backup | length == 0",
        },
      ),
      task(
        'Check archiving and the repository end to end',
        command({ argv: ['pgbackrest', '--stanza={{ backup_stanza }}', 'check'] }),
        {
          comment:
            "Switches a WAL segment on the primary and waits until it is in the repository; also fails when the running cluster is not the stanza's.",
          become: true,
          become_user: 'postgres',
          register: 'backup_check',
          inCheckMode: 'skipped: it switches a WAL segment on the primary, so it does not run',
          changed_when: false,
          failed_when: false,
          when: "backup_mode == 'repository'",
        },
      ),
      stanzaFailure('check', 'backup_check'),
    ],
  },
});
