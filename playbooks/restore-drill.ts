// restore-drill: proves that the repository restores. A marker row is written through the
// virtual IP and archived; then the backup role's drill (pgha-restore-drill, also run weekly by a
// timer) verifies the repository, restores the newest backup and the archived WAL into a scratch
// instance on the repository host (never the cluster), checks it with pg_amcheck and looks for the
// marker. With -e drill_target_time='2026-11-28 20:00:00+00' it recovers to that moment instead
// (point in time); with -e drill_check_table=name it reports that table's row count. The cluster
// is not touched; a failed drill fails the run with the step and what it saw.
import { assert, command, debug, playbook, postgresql_query, task } from '../dsl/index.js';
import { ENTRY_HOST, operatorLogin, RW_PORT } from './lib/connection.js';
import { checkSecrets, secretsVars } from './lib/secrets.js';

export default playbook({
  name: 'restore-drill',
  description: 'Restore the latest backup (or a point in time) into a scratch instance and check it',
  plays: [
    checkSecrets,
    {
      name: 'Write a marker, archive it, and run the restore drill',
      hosts: 'backup[0]',
      gather_facts: false,
      become: true,
      vars: { ...secretsVars, drill_target_time: '', drill_check_table: '' },
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
          'Write the marker row through the virtual IP',
          postgresql_query({
            ...operatorLogin,
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
          { become: true, become_user: 'postgres', changed_when: false },
        ),
        task(
          'Run the restore drill',
          command({
            argv: [
              '/usr/local/sbin/pgha-restore-drill',
              '--target-time',
              '{{ drill_target_time }}',
              '--marker',
              "{{ drill_marker.query_result[0].token if drill_target_time == '' else '' }}",
              '--check-table',
              '{{ drill_check_table }}',
            ],
          }),
          {
            register: 'drill_run',
            inCheckMode: 'skipped: no drill runs, and its report shows nothing',
            changed_when: false,
            failed_when: false,
          },
        ),
        task('Report the drill', debug({ msg: '{{ drill_run.stdout_lines + drill_run.stderr_lines }}' })),
        task(
          'Fail when the drill failed',
          assert({
            that: ['drill_run.rc == 0'],
            quiet: true,
            fail_msg: '{{ drill_run.stdout }}{{ drill_run.stderr }}',
          }),
        ),
      ],
    },
  ],
});
