// failover: promotes a named replica (-e failover_candidate=pg02) when the leader is gone or
// unhealthy. It refuses while the leader is healthy (that is a switchover's job) unless
// -e failover_allow_healthy_leader=true says so.
import { assert, debug, playbook, set_fact, task } from '../dsl/index.js';
import { CONTROL_HOST, readCluster, restCall, restGet, waitForNewLeader } from './lib/patroni-api.js';
import { checkSecrets, secretsVars } from './lib/secrets.js';

const candidateMember =
  "(pgha_cluster.members | selectattr('name', 'equalto', failover_candidate) | first | default({}))";

export default playbook({
  name: 'failover',
  description: 'Promote a named replica when the leader is gone or unhealthy',
  plays: [
    checkSecrets,
    {
      name: 'Fail over',
      hosts: CONTROL_HOST,
      gather_facts: false,
      vars: {
        ...secretsVars,
        failover_candidate: '',
        failover_allow_healthy_leader: false,
        failover_max_lag_bytes: 16777216,
      },
      tasks: [
        task(
          'Check the extra variables',
          assert({
            that: [
              'failover_candidate is string',
              "failover_candidate in groups['pg']",
              "failover_allow_healthy_leader | string | lower in ['true', 'false', 'yes', 'no', '1', '0']",
              "failover_max_lag_bytes | string is match('^[0-9]+$')",
            ],
            quiet: true,
            fail_msg:
              "failover_candidate must name a member ({{ groups['pg'] | join(', ') }}), got '{{ failover_candidate }}'; failover_allow_healthy_leader is a boolean; failover_max_lag_bytes a whole number of bytes",
          }),
        ),
        ...readCluster(),
        task(
          'Ask the leader whether it is healthy',
          restGet('pgha_leaders[0] | default(failover_candidate)', '/primary'),
          {
            register: 'pgha_leader_health',
            failed_when: false,
            changed_when: false,
          },
        ),
        task(
          "Note the leader's health and the start",
          set_fact({
            pgha_leader_healthy: '{{ pgha_leaders | length == 1 and pgha_leader_health.status | default(-1) == 200 }}',
            pgha_failover_started: '{{ now().timestamp() }}',
          }),
        ),
        task(
          'Refuse to fail over from a healthy leader unless told to',
          assert({
            that: [
              'not pgha_leader_healthy or (failover_allow_healthy_leader | bool) or failover_candidate in pgha_leaders',
            ],
            quiet: true,
            fail_msg:
              'failover refused: the leader {{ pgha_leaders[0] }} is healthy; use the switchover playbook, or -e failover_allow_healthy_leader=true to force it',
          }),
        ),
        task(
          'Require the candidate to be a running replica within the lag bound',
          assert({
            that: [
              `${candidateMember}.state | default('') in ['running', 'streaming']`,
              `${candidateMember}.lag | default(0) is not number or ${candidateMember}.lag <= failover_max_lag_bytes | int`,
            ],
            quiet: true,
            fail_msg:
              "failover refused: candidate {{ failover_candidate }} is {{ 'not running (' ~ (" +
              candidateMember +
              ".state | default('unknown to Patroni')) ~ ')' if " +
              candidateMember +
              ".state | default('') not in ['running', 'streaming'] else 'lagging ' ~ " +
              candidateMember +
              ".lag ~ ' bytes' }}",
          }),
          { when: 'failover_candidate not in pgha_leaders or not pgha_leader_healthy' },
        ),
        task(
          "Fail over through Patroni's REST API",
          restCall('failover_candidate', '/failover', 'POST', { candidate: '{{ failover_candidate }}' }, [200, 503]),
          {
            register: 'pgha_failover',
            changed_when: true,
            when: 'failover_candidate not in pgha_leaders or not pgha_leader_healthy',
          },
        ),
        ...waitForNewLeader('failover_candidate', undefined, 180),
        task(
          'Report the failover',
          debug({
            msg: "{{ failover_candidate }} leads{{ ' (it led already: nothing to do)' if failover_candidate in pgha_leaders else '' }}; failover took {{ '%.1f' | format(now().timestamp() - (pgha_failover_started | float)) }} s. A former leader rejoins (pg_rewind) when its Patroni starts again.",
          }),
        ),
      ],
    },
  ],
});
