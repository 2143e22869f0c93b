// replication-check: the original stand's test, repeatable. Through the virtual IP's read-write port
// create database `test` and table `testtable`, write three rows; read them back on every
// replica directly; check the read-only port lands on a replica; report pg_stat_replication.
import { assert, debug, playbook, postgresql_db, postgresql_query, task } from '../dsl/index.js';
import { ENTRY_HOST, operatorLogin, pgLogin, RO_PORT, RW_PORT } from './lib/connection.js';
import { checkSecrets, secretsVars } from './lib/secrets.js';

const ROWS = [
  [1, 'pasha'],
  [2, 'vasya'],
  [3, 'petya'],
] as const;
const rw = { ...operatorLogin, login_host: ENTRY_HOST, login_port: RW_PORT };

export default playbook({
  name: 'replication-check',
  description: 'Write through the read-write port, read on every replica, report replication',
  plays: [
    checkSecrets,
    {
      name: 'Write through the read-write port',
      hosts: 'infra',
      gather_facts: false,
      vars: secretsVars,
      tasks: [
        task(
          'Check the read-write port reaches the leader',
          postgresql_query({ ...rw, login_db: 'postgres', query: 'SELECT pg_is_in_recovery() AS in_recovery' }),
          {
            register: 'check_rw',
            failed_when: 'check_rw.query_result[0].in_recovery',
            changed_when: false,
          },
        ),
        task(
          'Check the read-only port reaches a replica',
          postgresql_query({
            ...rw,
            login_port: RO_PORT,
            login_db: 'postgres',
            query: 'SELECT pg_is_in_recovery() AS in_recovery',
          }),
          {
            register: 'check_ro',
            failed_when: 'not check_ro.query_result[0].in_recovery',
            changed_when: false,
          },
        ),
        task('Create database test', postgresql_db({ ...rw, name: 'test', state: 'present' })),
        task(
          'Create table testtable',
          postgresql_query({
            ...rw,
            login_db: 'test',
            query: 'CREATE TABLE IF NOT EXISTS testtable (id serial PRIMARY KEY, name varchar(50))',
          }),
          {
            changed_when: false,
          },
        ),
        task(
          'Insert the rows',
          postgresql_query({
            ...rw,
            login_db: 'test',
            query: `INSERT INTO testtable (id, name) VALUES ${ROWS.map(([id, n]) => `(${id}, '${n}')`).join(', ')} ON CONFLICT (id) DO NOTHING`,
          }),
          { register: 'check_insert', changed_when: 'check_insert.rowcount > 0' },
        ),
        task(
          'Read pg_stat_replication on the leader',
          postgresql_query({
            ...rw,
            login_db: 'postgres',
            query:
              'SELECT application_name AS replica, client_addr::text AS address, state, sync_state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes FROM pg_stat_replication ORDER BY application_name',
          }),
          { register: 'check_replication', changed_when: false },
        ),
        task(
          'Report replication state',
          debug({
            msg: "{{ check_replication.query_result | map('dict2items') | map('items2dict') | list }}",
          }),
        ),
        task(
          'Check every replica streams',
          assert({
            that: [
              "check_replication.query_result | length == groups['pg'] | length - 1",
              "check_replication.query_result | selectattr('state', 'equalto', 'streaming') | list | length == groups['pg'] | length - 1",
            ],
            fail_msg: 'Expected every replica to stream from the leader: {{ check_replication.query_result }}',
          }),
        ),
      ],
    },
    {
      name: 'Read on every replica directly',
      hosts: 'pg',
      gather_facts: false,
      vars: secretsVars,
      tasks: [
        task(
          'Find out whether this member is a replica',
          postgresql_query({
            ...pgLogin,
            login_host: '127.0.0.1',
            login_db: 'postgres',
            query: 'SELECT pg_is_in_recovery() AS in_recovery',
          }),
          {
            register: 'check_member',
            changed_when: false,
          },
        ),
        task(
          'Read testtable',
          postgresql_query({
            ...pgLogin,
            login_host: '127.0.0.1',
            login_db: 'test',
            query: 'SELECT id, name FROM testtable ORDER BY id',
          }),
          {
            register: 'check_rows',
            changed_when: false,
            when: 'check_member.query_result[0].in_recovery',
            until: `check_rows.query_result | map(attribute='name') | list == [${ROWS.map(([, n]) => `'${n}'`).join(', ')}]`,
            retries: 10,
            delay: 1,
          },
        ),
        task(
          'Report what the replica holds',
          debug({
            msg: "{{ inventory_hostname }} (replica) reads {{ check_rows.query_result | map(attribute='name') | join(', ') }}",
          }),
          {
            when: 'check_member.query_result[0].in_recovery',
          },
        ),
      ],
    },
  ],
});
