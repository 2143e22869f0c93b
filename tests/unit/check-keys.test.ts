// Unknown task, block, handler, play and role-use keys, with a "did you mean".
import { describe, expect, it } from 'vitest';
import { checkKeys } from '../../compiler/check/keys.js';
import { closest } from '../../dsl/closest.js';

const problems = (kind: Parameters<typeof checkKeys>[0], value: object) => {
  const out: string[] = [];
  checkKeys(kind, value, 'x', (f, m) => out.push(`${f}: ${m}`));
  return out;
};

describe('checkKeys', () => {
  it('accepts every key the DSL defines and ignores undefined values', () => {
    expect(
      problems('task', {
        kind: 'task',
        name: 'T',
        call: {},
        when: 'a',
        register: 'r',
        notify: [],
        vars: {},
        loop_control: {},
      }),
    ).toEqual([]);
    expect(problems('block', { kind: 'block', name: 'B', block: [], rescue: [], always: [], when: 'a' })).toEqual([]);
    expect(problems('play', { name: 'P', hosts: 'all', serial: 1, vars_files: [], whenn: undefined })).toEqual([]);
  });

  it('refuses a misspelt key, suggesting the right one', () => {
    expect(problems('task', { kind: 'task', name: 'T', call: {}, whenn: 'a' })).toEqual([
      expect.stringMatching(/^x\.whenn: unknown task key 'whenn'; did you mean 'when'\?/),
    ]);
    expect(problems('play', { name: 'P', hosts: 'all', gather_fact: false })[0]).toMatch(
      /unknown play key 'gather_fact'; did you mean 'gather_facts'\?/,
    );
    expect(problems('roleUse', { role: {}, vars: {}, condition: 'x' })[0]).toMatch(
      /unknown role use key 'condition' \(expected one of role, vars, tags, when\)/,
    );
  });

  it('takes every keyword Ansible takes on a handler and a block; refuses task-only keys on a block', () => {
    expect(
      problems('handler', { kind: 'handler', name: 'H', call: {}, notify: ['x'], loop: [1], listen: 'topic' }),
    ).toEqual([]);
    expect(
      problems('block', {
        kind: 'block',
        name: 'B',
        block: [],
        delegate_to: 'h',
        run_once: true,
        vars: {},
        no_log: true,
      }),
    ).toEqual([]);
    expect(problems('block', { kind: 'block', name: 'B', block: [], register: 'r' })[0]).toMatch(
      /unknown block key 'register'/,
    );
    expect(problems('handler', { kind: 'handler', name: 'H', call: {}, rescue: [] })[0]).toMatch(
      /unknown handler key 'rescue'/,
    );
    expect(problems('task', { kind: 'task', name: 'T', call: {}, rescue: [] })[0]).toMatch(/unknown task key 'rescue'/);
  });
});

describe('closest', () => {
  it('finds a near name and nothing for a far one', () => {
    expect(closest('becom', ['become', 'when'])).toBe('become');
    expect(closest('WORK_MEM', ['work_mem'])).toBe('work_mem');
    expect(closest('completely_different', ['when', 'become'])).toBeUndefined();
  });
});
