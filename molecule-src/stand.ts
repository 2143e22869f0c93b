// stand: Molecule's create and destroy bring the local stand up and down; a trivial converge,
// its idempotence and a verify prove the scenario machinery on the real hosts.
import { assert, copy, stat, task } from '../dsl/index.js';
import { standScenario } from './lib/stand.js';

export default standScenario(
  'stand',
  'The local stand under Molecule',
  [
    {
      name: 'Leave a marker on every host',
      hosts: 'all',
      gather_facts: false,
      tasks: [
        task(
          'Write the marker',
          copy({
            content: 'converged by molecule\n',
            dest: '/etc/pgha-molecule-marker',
            owner: 'root',
            group: 'root',
            mode: '0644',
          }),
        ),
      ],
    },
  ],
  [
    {
      name: 'Check the marker',
      hosts: 'all',
      gather_facts: false,
      tasks: [
        task('Read the marker', stat({ path: '/etc/pgha-molecule-marker' }), { register: 'marker' }),
        task('Check it is there', assert({ that: ['marker.stat.exists', "marker.stat.mode == '0644'"] })),
      ],
    },
  ],
  { sequence: ['destroy', 'create', 'converge', 'idempotence', 'verify', 'destroy'] },
);
