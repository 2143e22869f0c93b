// restore-drill: proves that the repository restores. A marker row is written through the
// virtual IP and archived; the latest backup and the archived WAL are restored into a scratch
// instance on the repository host (never the cluster), which must recover, promote and hold the
// marker. With -e drill_target_time='2026-11-28 20:00:00+00' it recovers to that moment instead
// (point in time) and reports what the scratch instance holds, with -e drill_check_table=name the
// row count of that table; the cluster is not touched.
import { assert, command, copy, debug, file, apt, playbook, postgresql_query, shell, task } from '../dsl/index.js';
import { ENTRY_HOST, pgLogin, RW_PORT } from './lib/connection.js';
import { checkSecrets, secretsVars } from './lib/secrets.js';

const AS_POSTGRES = { become: true, become_user: 'postgres' } as const;
const DRILL_DIR = '/var/lib/pgbackrest-drill';
const DATA = `${DRILL_DIR}/data`;
const PORT = 5499;
const PG_BIN = '/usr/lib/postgresql/15/bin';
/** pgBackRest with the drill's own configuration: the repository, and the scratch folder as the data directory. */
const RESTORE = [
  'pgbackrest',
  '--config=/etc/pgbackrest/drill.conf',
  '--stanza=pgha',
  '--archive-mode=off',
  '--recovery-option=restore_command=pgbackrest --config=/etc/pgbackrest/drill.conf --stanza=pgha archive-get %f "%p"',
];
const psql = (sql: string) => ['psql', '-h', DRILL_DIR, '-p', String(PORT), '-d', 'postgres', '-Atc', sql];

export default playbook(
  'restore-drill',
  'Restore the latest backup (or a point in time) into a scratch instance and check it',
  [
    checkSecrets,
    {
      name: 'Write a marker and archive it',
      hosts: 'backup[0]',
      gather_facts: false,
      become: true,
      vars: { ...secretsVars, drill_target_time: '' },
      tasks: [
        task(
          'Write the marker row through the virtual IP',
          postgresql_query({
            ...pgLogin,
            login_host: ENTRY_HOST,
            login_port: RW_PORT,
            login_db: 'postgres',
            query:
              'CREATE TABLE IF NOT EXISTS pgha_restore_drill (at timestamptz PRIMARY KEY DEFAULT clock_timestamp(), token text NOT NULL); INSERT INTO pgha_restore_drill (token) VALUES (md5(random()::text)) RETURNING token',
          }),
          { register: 'drill_marker', when: "drill_target_time == ''" },
        ),
        task(
          'Archive the WAL holding it (switches the segment and waits for the repository)',
          command({ argv: ['pgbackrest', '--stanza=pgha', 'check'] }),
          { ...AS_POSTGRES, changed_when: false },
        ),
      ],
    },
    {
      name: 'Restore into a scratch instance and check it',
      hosts: 'backup[0]',
      gather_facts: false,
      become: true,
      vars: { drill_target_time: '', drill_check_table: '' },
      tasks: [
        task(
          'Check the extra variables',
          assert({
            that: ["drill_check_table is match('^([a-z_][a-z0-9_]*)?$')"],
            quiet: true,
            fail_msg: "drill_check_table must be a plain table name, got '{{ drill_check_table }}'",
          }),
        ),
        task(
          'Create the cluster-creation settings folder',
          file({
            path: '/etc/postgresql-common/createcluster.d',
            state: 'directory',
            owner: 'root',
            group: 'root',
            mode: '0755',
          }),
        ),
        task(
          'Keep Debian from creating a cluster of its own here',
          copy({
            content: '# The restore drill runs its own scratch instance only.\ncreate_main_cluster = false\n',
            dest: '/etc/postgresql-common/createcluster.d/50-pgha-no-main-cluster.conf',
            owner: 'root',
            group: 'root',
            mode: '0644',
          }),
        ),
        task(
          'Install the PostgreSQL server binaries',
          apt({ name: ['postgresql-15'], state: 'present', update_cache: true, cache_valid_time: 3600 }),
        ),
        task(
          'Remove an earlier scratch instance',
          shell({ cmd: `${PG_BIN}/pg_ctl -D ${DATA} stop -m immediate || true; rm -rf ${DATA}` }),
          {
            changed_when: false,
          },
        ),
        task(
          'Create the scratch folders',
          file({ path: '{{ item }}', state: 'directory', owner: 'postgres', group: 'postgres', mode: '0700' }),
          { loop: [DRILL_DIR, DATA] },
        ),
        task('Restore the latest backup and every archived WAL segment', command({ argv: [...RESTORE, 'restore'] }), {
          ...AS_POSTGRES,
          changed_when: true,
          when: "drill_target_time == ''",
        }),
        task(
          'Restore to the point in time',
          command({
            argv: [...RESTORE, '--type=time', '--target={{ drill_target_time }}', '--target-action=promote', 'restore'],
          }),
          { ...AS_POSTGRES, changed_when: true, when: "drill_target_time != ''" },
        ),
        // hot_standby off: recovery then does not insist on max_connections and the like being at
        // least what the primary ran with when the WAL was written (the scratch instance only
        // answers once promoted).
        task(
          'Start the scratch instance (local socket only, no archiving, no replication)',
          command({
            argv: [
              `${PG_BIN}/pg_ctl`,
              '-D',
              DATA,
              '-w',
              '-t',
              '300',
              '-l',
              `${DRILL_DIR}/postgresql.log`,
              '-o',
              `-c listen_addresses='' -c port=${PORT} -c unix_socket_directories=${DRILL_DIR} -c ssl=off -c archive_mode=off -c primary_conninfo='' -c synchronous_standby_names='' -c hot_standby=off -c hba_file=${DATA}/pg_hba.conf -c ident_file=${DATA}/pg_ident.conf`,
              'start',
            ],
          }),
          { ...AS_POSTGRES, changed_when: true },
        ),
        task('Wait until it has recovered and promoted', command({ argv: psql('SELECT pg_is_in_recovery()') }), {
          ...AS_POSTGRES,
          register: 'drill_recovery',
          until: "drill_recovery.stdout == 'f'",
          retries: 120,
          delay: 1,
          changed_when: false,
        }),
        task(
          'Read the markers the scratch instance holds',
          command({ argv: psql("SELECT coalesce(string_agg(token, ' ' ORDER BY at), '') FROM pgha_restore_drill") }),
          { ...AS_POSTGRES, register: 'drill_tokens', changed_when: false, failed_when: false },
        ),
        task(
          'Count the rows of the table to check',
          command({ argv: psql("SELECT '{{ drill_check_table }} rows: ' || count(*) FROM {{ drill_check_table }}") }),
          {
            ...AS_POSTGRES,
            register: 'drill_table',
            changed_when: false,
            failed_when: false,
            when: "drill_check_table != ''",
          },
        ),
        task('Stop the scratch instance', command({ argv: [`${PG_BIN}/pg_ctl`, '-D', DATA, 'stop', '-m', 'fast'] }), {
          ...AS_POSTGRES,
          changed_when: true,
        }),
        task('Remove the scratch instance', file({ path: DATA, state: 'absent' })),
        task(
          'Check the newest marker came back',
          assert({
            that: [
              "drill_target_time != '' or (drill_tokens.rc == 0 and hostvars[inventory_hostname].drill_marker.query_result[0].token in drill_tokens.stdout.split(' '))",
            ],
            quiet: true,
            fail_msg:
              'The restored instance lacks the marker written before the restore: {{ drill_tokens.stdout | default(drill_tokens.stderr) }}',
          }),
        ),
        task(
          'Report the drill',
          debug({
            msg: "restore drill passed: recovered {{ ('to ' ~ drill_target_time) if drill_target_time else 'to the end of the archive' }}; markers held: {{ drill_tokens.stdout if drill_tokens.rc == 0 else 'none (no marker table at that time)' }}{{ ('; ' ~ (drill_table.stdout if drill_table.rc == 0 else drill_check_table ~ ': ' ~ drill_table.stderr)) if drill_check_table else '' }}",
          }),
        ),
      ],
    },
  ],
);
