// restore: brings the whole cluster back from the pgBackRest repository to a target, e.g.
//   -e restore_type=time -e "restore_target='2026-11-28 20:00:00+00'"   (a time zone is required)
//   -e restore_type=lsn  -e restore_target=0/5000028
//   -e restore_type=name -e restore_target=before_migration              (pg_create_restore_point)
//   -e restore_type=backup -e restore_target=20261128-200000F             (the end of that backup)
//   -e restore_type=latest                                                (everything archived)
// The target is checked against what the repository covers before any host is touched. Then the
// members stop (replicas first, so nothing fails over), the cluster's state in etcd is removed,
// every data directory is set aside (<data>.pre-restore), and Patroni bootstraps the first
// database host with pgBackRest (its custom bootstrap method); the others are rebuilt from it.
import {
  assert,
  block,
  command,
  copy,
  debug,
  fail,
  file,
  lineinfile,
  playbook,
  postgresql_query,
  set_fact,
  shell,
  slurp,
  systemd_service,
  task,
} from '../dsl/index.js';
import { PORTS } from '../roles-src/ports.js';
import { ENTRY_HOST, operatorLogin, pgLogin, RW_PORT } from './lib/connection.js';
import { RECEIVER_SQL, restGet } from './lib/patroni-api.js';
import { checkSecrets, secretsVars } from './lib/secrets.js';

const AS_POSTGRES = { become: true, become_user: 'postgres' } as const;
const PATRONI_CONFIG = '/etc/patroni/config.yml';
const ROLE_CONFIG_COPY = '/etc/patroni/config.yml.role';
const BACKUP_TIMERS = ['pgha-backup-full.timer', 'pgha-backup-diff.timer', 'pgha-restore-drill.timer'];
/** The cluster restore.yml restores (Patroni's scope and the pgBackRest stanza): what the confirmation must name. */
export const RESTORE_CLUSTER = 'pgha';

/**
 * The first play, on every host the run reaches: the restore replaces every member's data, so it
 * runs only when asked twice (the cluster named in restore_confirm) and only on the whole cluster
 * (under --limit the checks of later plays could have no host while a destructive play still ran).
 */
const confirmation = {
  name: 'Confirm the restore of the whole cluster',
  hosts: 'all',
  gather_facts: false,
  tasks: [
    task(
      'Refuse a run limited to some hosts',
      assert({
        that: ['ansible_limit is not defined'],
        quiet: true,
        fail_msg:
          "restore refused: it restores the whole cluster and runs on no subset of its hosts; run it without --limit (got --limit '{{ ansible_limit | default('') }}')",
      }),
      { run_once: true },
    ),
    task(
      'Require the cluster named in restore_confirm',
      assert({
        that: [`restore_confirm | default('') == '${RESTORE_CLUSTER}'`],
        quiet: true,
        fail_msg: `restore refused: it stops every member of cluster '${RESTORE_CLUSTER}' and replaces its data. To go ahead, name the cluster: -e restore_confirm=${RESTORE_CLUSTER} (npm run op -- restore asks for it, or takes --yes)`,
      }),
      { run_once: true },
    ),
  ],
} as const;

/** What the first play checked, as the repository host's fact. */
const REQUEST = "hostvars[groups['backup'][0]].restore_request";

/** Formats the target must have, per type (a time needs its zone: a restore must not depend on a host's clock setting). */
const FORMATS = {
  time: '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?( ?(Z|[+-]\\d{2}(:?\\d{2})?))$',
  lsn: '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$',
  name: '^[A-Za-z0-9_.:-]{1,63}$',
  backup: '^\\d{8}-\\d{6}F(_\\d{8}-\\d{6}[DI])?$',
  latest: '^$',
} as const;

/** An LSN `X/Y` as a number, in Jinja. */
const lsnValue = (e: string) =>
  `((${e}).split('/')[0] | int(base=16)) * 4294967296 + ((${e}).split('/')[1] | int(base=16))`;

/** pgBackRest's restore options for the target (it picks the newest backup that ends before it). */
const RESTORE_OPTIONS =
  "{{ {'latest': '--type=default', 'time': '--type=time --target-action=promote --target=' ~ (restore_target | quote), " +
  "'lsn': '--type=lsn --target-action=promote --target=' ~ (restore_target | quote), " +
  "'name': '--type=name --target-action=promote --target=' ~ (restore_target | quote), " +
  "'backup': '--type=immediate --target-action=promote --set=' ~ (restore_target | quote)}[restore_type] }}";

const local = { ...pgLogin, login_host: '127.0.0.1', login_port: PORTS.postgres, login_db: 'postgres' } as const;

export default playbook({
  name: 'restore',
  description:
    'Bring the whole cluster back from the backup repository to a time, an LSN, a restore point, a backup or the latest state',
  // Any error on any host stops the whole run: a restore half done on some members is worse than one not begun.
  plays: [
    confirmation,
    checkSecrets,
    {
      name: 'Check the target against what the repository covers',
      hosts: 'backup[0]',
      gather_facts: false,
      vars: { restore_type: 'latest', restore_target: '' },
      tasks: [
        task(
          'Check the target type and its format',
          assert({
            that: [
              `restore_type in ${JSON.stringify(Object.keys(FORMATS))}`,
              `restore_target | string is match(${JSON.stringify(FORMATS)}[restore_type] | default('^$'))`,
            ],
            quiet: true,
            fail_msg:
              "restore refused: restore_type must be one of latest, time ('YYYY-MM-DD HH:MM:SS+ZZ', with its time zone), lsn (X/Y), name (a restore point) or backup (a backup label), with restore_target in that format; got restore_type={{ restore_type }} restore_target='{{ restore_target }}'",
          }),
        ),
        // Archives the WAL up to now, so a target up to this moment is covered; on a cluster that is
        // down or not the repository's (its hosts were rebuilt) there is nothing newer to archive.
        task(
          'Archive the current WAL of the running cluster, if any',
          command({ argv: ['pgbackrest', '--stanza=pgha', 'check'] }),
          {
            ...AS_POSTGRES,
            register: 'restore_archive_check',
            changed_when: false,
            failed_when: false,
          },
        ),
        task('Read the repository', command({ argv: ['pgbackrest', '--stanza=pgha', '--output=json', 'info'] }), {
          ...AS_POSTGRES,
          register: 'restore_repo_info',
          changed_when: false,
          check_mode: false,
        }),
        task(
          'Keep what the repository covers',
          set_fact({
            restore_backups: '{{ (restore_repo_info.stdout | from_json | first).backup | default([]) }}',
            restore_archive_max:
              "{{ ((restore_repo_info.stdout | from_json | first).archive | default([]) | map(attribute='max') | select | max) | default('') }}",
          }),
        ),
        task(
          'Require a backup',
          assert({
            that: ['restore_backups | length > 0'],
            quiet: true,
            fail_msg:
              'restore refused: the repository holds no backup (pgbackrest info: {{ restore_repo_info.stdout }})',
          }),
        ),
        task(
          'Keep the range a restore can reach',
          set_fact({
            restore_first_stop: "{{ restore_backups | map(attribute='timestamp.stop') | min }}",
            restore_first_stop_lsn: "{{ (restore_backups | sort(attribute='timestamp.stop') | first).lsn.stop }}",
            restore_labels: "{{ restore_backups | map(attribute='label') | list }}",
          }),
        ),
        task('Read the clock and the target time', shell({ cmd: 'date +%s; date -d "$TARGET" +%s' }), {
          environment: { TARGET: '{{ restore_target }}' },
          register: 'restore_clock',
          changed_when: false,
          check_mode: false,
          when: "restore_type == 'time'",
        }),
        task(
          'Require a time the repository covers and not in the future',
          assert({
            that: [
              'restore_clock.stdout_lines[1] | int >= restore_first_stop | int',
              'restore_clock.stdout_lines[1] | int <= restore_clock.stdout_lines[0] | int',
            ],
            quiet: true,
            fail_msg:
              "restore refused: {{ restore_target }} is outside what the repository covers: from {{ '%Y-%m-%d %H:%M:%S+00' | strftime(restore_first_stop | int, utc=true) }} (the end of the oldest backup) to now ({{ '%Y-%m-%d %H:%M:%S+00' | strftime(restore_clock.stdout_lines[0] | int, utc=true) }})",
          }),
          { when: "restore_type == 'time'" },
        ),
        task(
          'Require an LSN the repository covers',
          assert({
            that: [
              `${lsnValue('restore_target')} >= ${lsnValue('restore_first_stop_lsn')}`,
              `restore_archive_max != '' and ${lsnValue('restore_target')} < ((restore_archive_max[8:16] | int(base=16)) * 4294967296 + ((restore_archive_max[16:24] | int(base=16)) + 1) * 16777216)`,
            ],
            quiet: true,
            fail_msg:
              'restore refused: LSN {{ restore_target }} is outside what the repository covers: from {{ restore_first_stop_lsn }} (the end of the oldest backup) to the end of WAL segment {{ restore_archive_max }}',
          }),
          { when: "restore_type == 'lsn'" },
        ),
        task(
          'Require a backup the repository holds',
          assert({
            that: ['restore_target in restore_labels'],
            quiet: true,
            fail_msg:
              "restore refused: no backup {{ restore_target }}; the repository holds {{ restore_labels | join(', ') }}",
          }),
          { when: "restore_type == 'backup'" },
        ),
        task(
          'Keep the request for the next plays',
          set_fact({
            restore_request: {
              type: '{{ restore_type }}',
              target: '{{ restore_target }}',
              command: `pgbackrest --stanza=pgha --log-level-console=info restore ${RESTORE_OPTIONS}`,
            },
          }),
        ),
        task(
          'Stop the scheduled backups and drills during the restore',
          systemd_service({ name: '{{ item }}', state: 'stopped' }),
          { become: true, loop: BACKUP_TIMERS },
        ),
      ],
    },
    {
      name: 'Stop the replicas (first, so that nothing fails over)',
      hosts: 'pg',
      gather_facts: false,
      become: true,
      tasks: [
        task('Ask Patroni about this member', restGet('inventory_hostname', '/patroni'), {
          register: 'restore_member',
          changed_when: false,
          failed_when: false,
        }),
        task('Stop Patroni and PostgreSQL on a replica', systemd_service({ name: 'patroni', state: 'stopped' }), {
          when: "restore_member.json.role | default('') not in ['primary', 'master']",
        }),
      ],
    },
    {
      name: 'Stop the leader, forget the cluster in etcd and set the data aside',
      hosts: 'pg',
      gather_facts: false,
      become: true,
      tasks: [
        task('Stop Patroni and PostgreSQL', systemd_service({ name: 'patroni', state: 'stopped' })),
        task("Read Patroni's configuration", slurp({ src: PATRONI_CONFIG }), {
          register: 'restore_patroni_config',
          no_log: true,
        }),
        task(
          'Keep the scope and the data directory',
          set_fact({
            restore_scope: '{{ (restore_patroni_config.content | b64decode | from_yaml).scope }}',
            restore_data_dir: '{{ (restore_patroni_config.content | b64decode | from_yaml).postgresql.data_dir }}',
          }),
        ),
        // Answers patronictl's two confirmations; its state (leader, history, dynamic configuration)
        // is written again by the bootstrap.
        task(
          "Remove the cluster's state from etcd",
          command({
            argv: ['patronictl', '-c', PATRONI_CONFIG, 'remove', '{{ restore_scope }}'],
            stdin: '{{ restore_scope }}\nYes I am aware\n',
          }),
          { when: "inventory_hostname == groups['pg'][0]", changed_when: true },
        ),
        task(
          'Set the data directory aside',
          shell({
            // Each restore keeps the data it replaced, named by its time: a second restore never
            // removes what the first one set aside.
            cmd: 'if [ -e "$DATA" ]; then mv "$DATA" "$DATA.pre-restore-$(date -u +%Y%m%dT%H%M%SZ)"; fi',
          }),
          { environment: { DATA: '{{ restore_data_dir }}' }, changed_when: true },
        ),
        task(
          'Create an empty data directory',
          file({
            path: '{{ restore_data_dir }}',
            state: 'directory',
            owner: 'postgres',
            group: 'postgres',
            mode: '0700',
          }),
        ),
      ],
    },
    {
      name: 'Restore the first database host through Patroni',
      hosts: 'pg[0]',
      gather_facts: false,
      become: true,
      vars: secretsVars,
      tasks: [
        task(
          "Keep the role's configuration",
          copy({
            src: PATRONI_CONFIG,
            dest: ROLE_CONFIG_COPY,
            remote_src: true,
            mode: '0600',
            owner: 'postgres',
            group: 'postgres',
          }),
          {
            diff: false,
          },
        ),
        // Read only at bootstrap: pgBackRest restores the data directory and writes the recovery
        // settings; PostgreSQL recovers to the target and promotes; Patroni keeps those settings.
        task(
          'Bootstrap with pgBackRest',
          copy({
            dest: PATRONI_CONFIG,
            owner: 'postgres',
            group: 'postgres',
            mode: '0600',
            content:
              "{{ (restore_patroni_config.content | b64decode | from_yaml) | combine({'bootstrap': {'method': 'pgbackrest', 'pgbackrest': {'command': restore_command_line, 'no_params': true, 'keep_existing_recovery_conf': true}}}, recursive=true) | to_nice_yaml(indent=2) }}",
          }),
          { no_log: true, diff: false, vars: { restore_command_line: `{{ ${REQUEST}.command }}` } },
        ),
        task('Start Patroni', systemd_service({ name: 'patroni', state: 'started' })),
        task('Wait until the restored member leads', restGet('inventory_hostname', '/primary'), {
          register: 'restore_primary',
          changed_when: false,
          failed_when: false,
          retries: 900,
          delay: 2,
          until: 'restore_primary.status | default(0) == 200',
        }),
        task(
          "Put the role's configuration back",
          copy({
            src: ROLE_CONFIG_COPY,
            dest: PATRONI_CONFIG,
            remote_src: true,
            mode: '0600',
            owner: 'postgres',
            group: 'postgres',
          }),
          {
            diff: false,
          },
        ),
        task('Remove the copy', file({ path: ROLE_CONFIG_COPY, state: 'absent' })),
        block(
          'Report a restore that did not finish',
          [
            task(
              'Read what Patroni and PostgreSQL said',
              shell({
                cmd: 'journalctl -u patroni --no-pager -n 40; tail -n 20 "$DATA"/log/*.log 2>/dev/null || true',
              }),
              {
                environment: { DATA: '{{ restore_data_dir }}' },
                register: 'restore_journal',
                changed_when: false,
                check_mode: false,
              },
            ),
            task('Stop', fail({ msg: 'The restore did not finish: {{ restore_journal.stdout_lines }}' })),
          ],
          { when: 'restore_primary.status | default(0) != 200' },
        ),
        // pgBackRest's recovery settings stay in postgresql.auto.conf, which replicas copy: a
        // replica would stop at the same target. They go before any replica is built.
        task(
          "Remove pgBackRest's recovery settings",
          lineinfile({
            path: '{{ restore_data_dir }}/postgresql.auto.conf',
            regexp: '^(restore_command|recovery_target[a-z_]*)\\s*=',
            state: 'absent',
          }),
        ),
        task('Reload PostgreSQL', postgresql_query({ ...local, query: 'SELECT pg_reload_conf()' }), {
          changed_when: false,
        }),
      ],
    },
    {
      name: 'Rebuild the other members from the restored one',
      hosts: 'pg[1:]',
      gather_facts: false,
      become: true,
      vars: secretsVars,
      tasks: [
        task('Start Patroni', systemd_service({ name: 'patroni', state: 'started' })),
        task(
          'Wait until this member streams from the restored one',
          postgresql_query({ ...local, query: RECEIVER_SQL }),
          {
            register: 'restore_receiver',
            changed_when: false,
            failed_when: false,
            retries: 900,
            delay: 2,
            until:
              "restore_receiver.query_result is defined and restore_receiver.query_result[0].receiver == 'streaming'",
          },
        ),
        task(
          'Require it to stream',
          assert({
            that: [
              "restore_receiver.query_result is defined and restore_receiver.query_result[0].receiver == 'streaming'",
            ],
            quiet: true,
            fail_msg:
              '{{ inventory_hostname }} does not stream from the restored member: {{ restore_receiver.msg | default(restore_receiver.query_result | default("")) }}',
          }),
        ),
      ],
    },
    {
      name: 'Check the restored cluster and resume the backups',
      hosts: 'backup[0]',
      gather_facts: false,
      vars: secretsVars,
      tasks: [
        task(
          'Write through the virtual IP',
          postgresql_query({
            ...operatorLogin,
            login_host: ENTRY_HOST,
            login_port: RW_PORT,
            login_db: 'postgres',
            query:
              'SELECT pg_is_in_recovery() AS in_recovery, (SELECT timeline_id FROM pg_control_checkpoint()) AS timeline, txid_current() AS xid, now()::text AS at',
          }),
          {
            register: 'restore_written',
            retries: 30,
            delay: 2,
            until: 'restore_written is succeeded and not restore_written.query_result[0].in_recovery',
          },
        ),
        task('Archive from the restored cluster', command({ argv: ['pgbackrest', '--stanza=pgha', 'check'] }), {
          ...AS_POSTGRES,
          changed_when: false,
        }),
        task('Resume the scheduled backups and drills', systemd_service({ name: '{{ item }}', state: 'started' }), {
          become: true,
          loop: BACKUP_TIMERS,
        }),
        task(
          'Report the restore',
          debug({
            msg: "restore done: {{ restore_request.type }}{{ (' ' ~ restore_request.target) if restore_request.target else '' }}; leader {{ groups['pg'][0] }}, timeline {{ restore_written.query_result[0].timeline }}, every member streaming, archiving checked; the replaced data directories are kept at <data>.pre-restore-<time>",
          }),
        ),
      ],
    },
  ].map((play) => ({ ...play, any_errors_fatal: true })),
});
