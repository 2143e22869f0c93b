// backup: a pgBackRest backup now, on the repository host, from a replica
// (-e backup_type=full|diff|incr; diff by default), then what the repository holds.
import { assert, command, debug, playbook, task } from '../dsl/index.js';

const AS_POSTGRES = { become: true, become_user: 'postgres' } as const;

export default playbook({
  name: 'backup',
  description: 'Take a backup now (full, diff or incr) and report the repository',
  plays: [
    {
      name: 'Back up now',
      hosts: 'backup[0]',
      gather_facts: false,
      vars: { backup_type: 'diff' },
      tasks: [
        task(
          'Check the backup type',
          assert({
            that: ["backup_type in ['full', 'diff', 'incr']"],
            quiet: true,
            fail_msg: "backup_type must be full, diff or incr, got '{{ backup_type }}'",
          }),
        ),
        task(
          'Take the backup',
          command({ argv: ['pgbackrest', '--stanza=pgha', '--type={{ backup_type }}', 'backup'] }),
          {
            ...AS_POSTGRES,
            changed_when: true,
          },
        ),
        task('Read the repository', command({ argv: ['pgbackrest', '--stanza=pgha', '--output=json', 'info'] }), {
          ...AS_POSTGRES,
          register: 'backup_repo_info',
          changed_when: false,
          check_mode: false,
        }),
        task(
          'Report the backups',
          debug({
            msg: "{{ (backup_repo_info.stdout | from_json | first).backup | map(attribute='label') | list }}",
          }),
        ),
      ],
    },
  ],
});
