// switchover: moves the leadership to a named replica (-e switchover_candidate=pg02) or to the
// best streaming replica (the synchronous standby in synchronous mode), after checking the cluster and the candidate; waits until HAProxy's
// read-write port reaches the new leader and the old leader streams from it.
import { assert, playbook, task } from '../dsl/index.js';
import { CONTROL_HOST, readCluster, requireHealthyCluster, switchoverTasks } from './lib/patroni-api.js';
import { checkSecrets, secretsVars } from './lib/secrets.js';

export default playbook({
  name: 'switchover',
  description: 'Switch the leadership over to a healthy replica, then wait until clients and the old leader follow',
  plays: [
    checkSecrets,
    {
      name: 'Switch over',
      hosts: CONTROL_HOST,
      gather_facts: false,
      vars: { ...secretsVars, switchover_candidate: '', switchover_max_lag_bytes: 1048576 },
      tasks: [
        task(
          'Check the extra variables',
          assert({
            that: [
              'switchover_candidate is string',
              "switchover_candidate == '' or switchover_candidate in groups['pg']",
              "switchover_max_lag_bytes | string is match('^[0-9]+$')",
            ],
            quiet: true,
            fail_msg:
              "switchover_candidate must be '' (the best replica) or a member ({{ groups['pg'] | join(', ') }}), got '{{ switchover_candidate }}'; switchover_max_lag_bytes must be a whole number of bytes, got '{{ switchover_max_lag_bytes }}'",
          }),
        ),
        ...readCluster(),
        ...requireHealthyCluster('switchover'),
        ...switchoverTasks(
          'switchover',
          'pgha_candidate',
          'switchover_max_lag_bytes',
          "{{ switchover_candidate or (pgha_candidates | first | default('')) }}",
        ),
      ],
    },
  ],
});
