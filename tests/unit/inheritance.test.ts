// Keyword inheritance as Ansible has it: a play's or block's keyword reaches each task below that
// does not set its own, through nested blocks, and a task's own value wins.
import { describe, expect, it } from 'vitest';
import { eachInherited } from '../../compiler/check/inheritance.js';

describe('eachInherited', () => {
  it('passes play and block keywords down to the tasks that do not set their own', () => {
    const playbook = [
      {
        name: 'Play',
        hosts: 'all',
        no_log: true,
        tasks: [
          { name: 'Plain', 'ansible.builtin.debug': { msg: 'x' } },
          {
            name: 'Outer',
            diff: false,
            block: [
              { name: 'Inner', 'ansible.builtin.debug': { msg: 'y' } },
              { name: 'Own', no_log: false, check_mode: false, 'ansible.builtin.debug': { msg: 'z' } },
            ],
          },
        ],
      },
    ];
    const seen: Record<string, unknown> = {};
    eachInherited(playbook, 'plays', (_t, here, e) => {
      seen[here] = { no_log: e.no_log, diff: e.diff, check_mode: e.check_mode };
    });
    expect(seen).toEqual({
      "plays[0] 'Play'": { no_log: true, diff: undefined, check_mode: undefined },
      "plays[0] 'Play'.tasks[0] 'Plain'": { no_log: true, diff: undefined, check_mode: undefined },
      "plays[0] 'Play'.tasks[1] 'Outer'": { no_log: true, diff: false, check_mode: undefined },
      "plays[0] 'Play'.tasks[1] 'Outer'.block[0] 'Inner'": { no_log: true, diff: false, check_mode: undefined },
      "plays[0] 'Play'.tasks[1] 'Outer'.block[1] 'Own'": { no_log: false, diff: false, check_mode: false },
    });
  });
});
