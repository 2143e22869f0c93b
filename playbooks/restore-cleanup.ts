// restore-cleanup: removes the data directories restore.yml set aside on each member
// (<data>.pre-restore-<UTC time>). Nothing is removed unless named: -e restore_cleanup=all, or the
// time stamps of the copies to remove (comma-separated, as `npm run status` lists them).
import { assert, command, debug, file, playbook, set_fact, slurp, task } from '../dsl/index.js';

const PATRONI_CONFIG = '/etc/patroni/config.yml';
const COPIES = "restore_cleanup_found.stdout_lines | map('trim') | select | list";
/** The copies named by restore_cleanup: every one for 'all', else those whose time stamp is listed. */
const CHOSEN = `${COPIES} if restore_cleanup == 'all' else ${COPIES} | select('search', '\\.pre-restore-(' ~ (restore_cleanup.split(',') | map('trim') | map('regex_escape') | join('|')) ~ ')$') | list`;

export default playbook({
  name: 'restore-cleanup',
  description: 'Remove the data directories restore.yml set aside (all, or by their time stamps)',
  plays: [
    {
      name: 'Remove the data set aside by earlier restores',
      hosts: 'pg',
      gather_facts: false,
      become: true,
      vars: { restore_cleanup: '' },
      tasks: [
        task(
          'Require the copies to remove',
          assert({
            that: [
              "restore_cleanup == 'all' or restore_cleanup is match('^\\s*\\d{8}T\\d{6}Z\\s*(,\\s*\\d{8}T\\d{6}Z\\s*)*$')",
            ],
            quiet: true,
            fail_msg:
              "name what to remove: -e restore_cleanup=all, or the copies' time stamps (-e restore_cleanup=20261208T001122Z,...); got '{{ restore_cleanup }}'",
          }),
        ),
        task("Read Patroni's configuration", slurp({ src: PATRONI_CONFIG }), {
          register: 'restore_cleanup_config',
          no_log: true,
        }),
        task(
          'Keep the data directory',
          set_fact({
            restore_cleanup_data: '{{ (restore_cleanup_config.content | b64decode | from_yaml).postgresql.data_dir }}',
          }),
        ),
        task(
          'List the copies set aside',
          command({
            argv: [
              'find',
              '{{ restore_cleanup_data | dirname }}',
              '-mindepth',
              '1',
              '-maxdepth',
              '1',
              '-type',
              'd',
              '-name',
              '{{ restore_cleanup_data | basename }}.pre-restore-*',
            ],
          }),
          { register: 'restore_cleanup_found', changed_when: false, check_mode: false },
        ),
        task('Remove the copies named', file({ path: '{{ item }}', state: 'absent' }), {
          loop: `{{ ${CHOSEN} }}`,
        }),
        task(
          'Report what is left',
          debug({
            msg: `{{ ${COPIES} | difference(${CHOSEN}) | map('basename') | list }}`,
          }),
        ),
      ],
    },
  ],
});
