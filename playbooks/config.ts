// config: applies the typed parameter source (roles-src/patroni/postgresql-parameters.ts) to the
// running cluster through Patroni's dynamic configuration. Only parameters that differ are
// changed; when one needs a restart, members restart one at a time: replicas first, then a
// switchover moves the leadership away and the old leader restarts as a replica. A re-run
// finishes what an interrupted run left pending and otherwise changes nothing.
import { PORTS } from '../roles-src/ports.js';
import { block, debug, playbook, postgresql_query, set_fact, task } from '../dsl/index.js';
import { checkParameter, type CheckedParameter } from '../dsl/postgres/check.js';
import parameters from '../roles-src/patroni/postgresql-parameters.js';
import { pgLogin } from './lib/connection.js';
import {
  CONTROL_HOST,
  memberSql,
  RECEIVER_SQL,
  readCluster,
  requireHealthyCluster,
  restCall,
  restGet,
  switchoverTasks,
  waitForNewLeader,
} from './lib/patroni-api.js';
import { checkSecrets, secretsVars } from './lib/secrets.js';

// The compiler refuses a bad parameter with its file and line; here only the good ones matter.
const checked = Object.entries(parameters).flatMap(([name, value]) => {
  const r = checkParameter(name, value);
  return r.ok ? [[name, r.checked] as [string, CheckedParameter]] : [];
});
const values = Object.fromEntries(checked.map(([n, c]) => [n, c.value]));
const applyBy = Object.fromEntries(checked.map(([n, c]) => [n, c.applyBy]));
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Rows for the parameters a member does not run yet and that wait for no restart: none when applied. */
const NOT_APPLIED_SQL =
  `SELECT e.name, s.setting, e.expected FROM (VALUES ${checked
    .map(([n, c]) => `(${sqlString(n)}, ${sqlString(c.setting)}, ${c.type === 'real'})`)
    .join(
      ', ',
    )}) AS e(name, expected, is_real) JOIN pg_settings s USING (name) WHERE NOT s.pending_restart AND NOT CASE WHEN e.is_real ` +
  'THEN s.setting::float8 = e.expected::float8 ELSE s.setting = e.expected END ORDER BY e.name';

/** Limits a replica must hold at least at its leader's value (PostgreSQL refuses to run otherwise). */
const COUPLED = [
  'max_connections',
  'max_prepared_transactions',
  'max_locks_per_transaction',
  'max_wal_senders',
  'max_worker_processes',
];

/** Rows for parameters a member does not run as the source says, restart pending or not. */
const VERIFY_SQL = NOT_APPLIED_SQL.replace('WHERE NOT s.pending_restart AND NOT', 'WHERE s.pending_restart OR NOT');

/** Rows for limits a member runs above the source: the leader must restart before its replicas. */
const ABOVE_SQL = `SELECT name, setting FROM pg_settings WHERE name IN (${COUPLED.map(sqlString).join(', ')}) AND CASE name ${checked
  .filter(([n]) => COUPLED.includes(n))
  .map(([n, c]) => `WHEN ${sqlString(n)} THEN setting::bigint > ${Number(c.setting)}`)
  .join(' ')} ELSE false END`;

const LEADER_LSN_SQL = 'SELECT pg_current_wal_lsn()::text AS lsn';
/** The control host's reading of LEADER_LSN_SQL, seen from a database host's play. */
const LEADER_LSN_READ = `(hostvars[groups['infra'][0]].pgha_leader_lsn | default({}))`;
const LEADER_LSN = `${LEADER_LSN_READ}.query_result[0].lsn`;
const REPLAYED_SQL = 'SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false) AS replayed';

const local = { ...pgLogin, login_host: '127.0.0.1', login_port: PORTS.postgres, login_db: 'postgres' } as const;
const PENDING_SQL = 'SELECT name FROM pg_settings WHERE pending_restart ORDER BY name';

const summary = [
  'What this playbook applies (from roles-src/patroni/postgresql-parameters.ts):',
  ...checked.map(([n, c]) => `  ${n} = ${c.value}  (${c.applyBy === 'restart' ? 'needs a restart' : 'reload'})`),
  'A changed "restart" parameter restarts the members one at a time: replicas, then a switchover, then the old leader.',
].join('\n');

export default playbook({
  name: 'config',
  description: 'Apply the typed PostgreSQL parameters to the running cluster, restarting members only when needed',
  plays: [
    checkSecrets,
    {
      name: 'Change the parameters that differ',
      hosts: CONTROL_HOST,
      gather_facts: false,
      vars: { ...secretsVars, pgha_parameters: values, pgha_parameter_apply_by: applyBy },
      tasks: [
        ...readCluster(),
        ...requireHealthyCluster('config'),
        task('Read the dynamic configuration', restGet('pgha_leaders[0]', '/config'), {
          register: 'pgha_dcs',
          changed_when: false,
        }),
        task(
          'Keep the parameters the cluster runs',
          set_fact({ pgha_running_parameters: '{{ pgha_dcs.json.postgresql.parameters | default({}) }}' }),
        ),
        task(
          'Work out what differs',
          set_fact({
            pgha_changed:
              '{{ pgha_parameters | dict2items | difference(pgha_running_parameters | dict2items) | items2dict }}',
            pgha_reset: '{{ pgha_running_parameters.keys() | difference(pgha_parameters.keys()) | sort }}',
          }),
        ),
        task(
          'Report the planned changes',
          debug({
            msg:
              '{% if not (pgha_changed or pgha_reset) %}No parameter differs from the source{% endif %}' +
              "{% for k, v in pgha_changed.items() %}{{ k }}: {{ pgha_running_parameters[k] | default('default') }} -> {{ v }} ({{ pgha_parameter_apply_by[k] }}); {% endfor %}" +
              '{% for k in pgha_reset %}{{ k }}: reset to its default; {% endfor %}',
          }),
        ),
        task(
          "Change them in Patroni's dynamic configuration",
          restCall('pgha_leaders[0]', '/config', 'PATCH', {
            postgresql: { parameters: '{{ pgha_changed | combine(dict(pgha_reset | product([none]))) }}' },
          }),
          { when: 'pgha_changed | length > 0 or pgha_reset | length > 0', changed_when: true },
        ),
      ],
    },
    {
      name: 'Wait until every member runs the new values',
      hosts: 'pg',
      gather_facts: false,
      vars: secretsVars,
      tasks: [
        task(
          'Wait until each parameter is applied or waits for a restart',
          postgresql_query({ ...local, query: NOT_APPLIED_SQL }),
          {
            // Best effort: a value no reload can bring (a limit held up by the leader) is the restarts' job; the last play judges.
            register: 'pgha_not_applied',
            changed_when: false,
            failed_when: false,
            retries: 30,
            delay: 1,
            until: 'pgha_not_applied.query_result is defined and pgha_not_applied.query_result | length == 0',
          },
        ),
        task('Read what waits for a restart', postgresql_query({ ...local, query: PENDING_SQL }), {
          register: 'pgha_pending',
          changed_when: false,
        }),
        task(
          'Read what this member does not run as the source says',
          postgresql_query({ ...local, query: VERIFY_SQL }),
          {
            register: 'pgha_mismatch',
            changed_when: false,
          },
        ),
        task('Read the limits this member runs above the source', postgresql_query({ ...local, query: ABOVE_SQL }), {
          register: 'pgha_above',
          changed_when: false,
        }),
      ],
    },
    {
      // A replica cannot run with a lower max_connections (and the like) than its leader: when such
      // a limit shrinks, the leader restarts first, in place; replicas follow.
      name: 'Restart the leader first when a limit replicas must match shrinks',
      hosts: CONTROL_HOST,
      gather_facts: false,
      vars: secretsVars,
      tasks: [
        block(
          'Restart the leader in place',
          [
            task('Restart the leader', restCall('pgha_leaders[0]', '/restart', 'POST', {}), {
              register: 'pgha_leader_restart',
              changed_when: true,
            }),
            ...waitForNewLeader('pgha_leaders[0]'),
            // Its startup wrote the new limits to the WAL; a replica takes them into pg_control when it replays them.
            task("Read where the restarted leader's WAL stands", memberSql('pgha_leaders[0]', LEADER_LSN_SQL), {
              register: 'pgha_leader_lsn',
              changed_when: false,
            }),
          ],
          { when: 'hostvars[pgha_leaders[0]].pgha_above.query_result | default([]) | length > 0' },
        ),
      ],
    },
    {
      name: 'Restart the replicas that need it, one at a time',
      hosts: 'pg',
      serial: 1,
      gather_facts: false,
      vars: secretsVars,
      tasks: [
        task('Ask Patroni about this member', restGet('inventory_hostname', '/patroni'), {
          register: 'pgha_member',
          changed_when: false,
        }),
        // Patroni starts a replica with the limits in its pg_control when they are higher than the
        // source's: restarted before it replays the leader's new limits, it would keep the old ones.
        task(
          "Wait until this replica has replayed the restarted leader's new limits",
          postgresql_query({ ...local, query: REPLAYED_SQL, positional_args: [`{{ ${LEADER_LSN} }}`] }),
          {
            register: 'pgha_replayed',
            changed_when: false,
            retries: 60,
            delay: 1,
            until: 'pgha_replayed.query_result[0].replayed',
            when: `pgha_member.json.role in ['replica'] and 'query_result' in ${LEADER_LSN_READ}`,
          },
        ),
        // pg_settings, not Patroni's pending_restart flag: the flag is refreshed only on Patroni's next loop.
        task('Restart this replica', restCall('inventory_hostname', '/restart', 'POST', {}), {
          register: 'pgha_restart',
          changed_when: true,
          when: "pgha_member.json.role in ['replica'] and (pgha_pending.query_result | length > 0 or pgha_mismatch.query_result | length > 0)",
        }),
        task('Wait until the replica streams again', postgresql_query({ ...local, query: RECEIVER_SQL }), {
          register: 'pgha_receiver',
          changed_when: false,
          failed_when: false,
          retries: 60,
          delay: 1,
          when: 'pgha_restart is not skipped',
          until: "pgha_receiver.query_result is defined and pgha_receiver.query_result[0].receiver == 'streaming'",
        }),
      ],
    },
    {
      name: 'Move the leadership away from a leader that needs a restart, then restart it',
      hosts: CONTROL_HOST,
      gather_facts: false,
      vars: { ...secretsVars, config_max_lag_bytes: 1048576 },
      tasks: [
        ...readCluster(),
        // The block's condition of its own: the block names the leaders again after a refused
        // switchover, and Ansible checks a block's when before each of its tasks.
        task(
          'Decide whether the leader needs a restart',
          set_fact({
            pgha_leader_needs_restart:
              '{{ hostvars[pgha_leaders[0]].pgha_pending.query_result | default([]) | length > 0 }}',
          }),
        ),
        block(
          'Switch over, then restart the old leader if the switchover did not',
          [
            ...requireHealthyCluster('config'),
            ...switchoverTasks(
              'config',
              'pgha_candidate',
              'config_max_lag_bytes',
              "{{ pgha_candidates | first | default('') }}",
            ),
            // Patroni restarts a demoted leader as a replica: that restart usually applies the change.
            task(
              'Ask the old leader whether a change still waits for a restart',
              memberSql('pgha_old_leader', PENDING_SQL),
              {
                register: 'pgha_old_leader_pending',
                changed_when: false,
              },
            ),
            task('Restart the old leader', restCall('pgha_old_leader', '/restart', 'POST', {}), {
              register: 'pgha_old_leader_restart',
              changed_when: true,
              when: 'pgha_old_leader_pending.query_result | length > 0',
            }),
            task('Wait until the old leader streams again', memberSql('pgha_old_leader', RECEIVER_SQL), {
              register: 'pgha_old_receiver',
              changed_when: false,
              failed_when: false,
              retries: 60,
              delay: 1,
              until:
                "pgha_old_receiver.query_result is defined and pgha_old_receiver.query_result[0].receiver == 'streaming'",
            }),
          ],
          { when: 'pgha_leader_needs_restart | bool' },
        ),
        task(
          'Report what was restarted',
          debug({
            msg: "Restarted: {{ (groups['pg'] | map('extract', hostvars) | selectattr('pgha_restart', 'defined') | selectattr('pgha_restart.changed', 'defined') | selectattr('pgha_restart.changed') | map(attribute='inventory_hostname') | list) + ([pgha_leaders[0] ~ ' (leader, first)'] if pgha_leader_restart is changed else []) + ([pgha_old_leader ~ ' (leader, after a switchover to ' ~ pgha_candidate ~ ')'] if pgha_old_leader is defined else []) or 'nothing' }}",
          }),
        ),
      ],
    },
    {
      name: "Check that every member runs the source's values",
      hosts: 'pg',
      gather_facts: false,
      vars: secretsVars,
      tasks: [
        task('Check each parameter on this member', postgresql_query({ ...local, query: VERIFY_SQL }), {
          register: 'pgha_verify',
          changed_when: false,
          retries: 30,
          delay: 1,
          until: 'pgha_verify.query_result is defined and pgha_verify.query_result | length == 0',
        }),
      ],
    },
  ],
  summary: summary,
});
