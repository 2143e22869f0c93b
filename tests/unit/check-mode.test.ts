// A command whose registered result other tasks read must say what it is in check mode
// (npm run plan): read-only (check_mode: false) or what it does then (inCheckMode).
import { describe, expect, it } from 'vitest';
import { readElsewhere, silentCommands } from '../../compiler/check/check-mode.js';
import { blockConditionProblems } from '../../compiler/check/block-conditions.js';
import { jinjaTexts } from '../../compiler/check/jinja-syntax.js';
import { synthRole } from '../../compiler/synth.js';
import { renderRole, roleFileNames } from '../../compiler/render/role.js';
import { Problems } from '../../compiler/errors.js';
import { block, command, debug, defineRole, shell, task } from '../../dsl/index.js';
import type { Role } from '../../dsl/role.js';
import type { VarDecls } from '../../dsl/vars.js';

/** The role's emitted main tasks (as the build holds them, comments attached), and the commands the rule refuses. */
function refusals(tasks: Parameters<typeof defineRole>[0]['tasks']) {
  const role = defineRole({ name: 'fx', description: 'fixture', vars: {}, tasks }) as unknown as Role<VarDecls>;
  const out = renderRole(
    { role, file: 'fx/role.ts', dir: '/nonexistent' },
    new Set(),
    new Problems(),
    new Map([[role.name, roleFileNames(role.definition)]]),
  );
  const doc = out.get('roles/fx/tasks/main.yml') as { yaml: unknown };
  const texts = jinjaTexts(doc.yaml, 'roles-src/fx/role.ts', 'tasks');
  return silentCommands(doc.yaml, 'tasks')
    .filter((c) => readElsewhere(c.register, c.field, texts))
    .map((c) => c.field);
}

describe('commands and check mode', () => {
  it('refuses a command whose result a later task reads, saying nothing of check mode', () => {
    expect(
      refusals(() => [
        task('Read', command({ argv: ['cat', '/etc/hostname'] }), { register: 'fx_name', changed_when: false }),
        task('Say', debug({ msg: '{{ fx_name.stdout }}' })),
      ]),
    ).toEqual(["tasks[0] 'Read'.register"]);
  });
  it('takes it read-only (check_mode: false), stated (inCheckMode), or read by nothing but itself', () => {
    expect(
      refusals(() => [
        task('Read', command({ argv: ['cat', '/etc/hostname'] }), {
          register: 'fx_name',
          changed_when: false,
          check_mode: false,
        }),
        task('Change', shell({ cmd: 'touch /x && echo done' }), {
          register: 'fx_touch',
          inCheckMode: 'skipped: nothing is touched',
          changed_when: "'done' in fx_touch.stdout",
        }),
        task('Own', command({ argv: ['true'] }), { register: 'fx_own', changed_when: 'fx_own.rc == 0' }),
        // A block's check_mode covers its tasks (keyword inheritance).
        block('Probe', [task('Uptime', command({ argv: ['uptime'] }), { register: 'fx_up', changed_when: false })], {
          check_mode: false,
        }),
        task('Up', debug({ msg: '{{ fx_up.stdout }}' })),
        task('Say', debug({ msg: '{{ fx_name.stdout }} {{ fx_touch.stdout | default("") }}' })),
      ]),
    ).toEqual([]);
  });
  it('writes the statement above the task', () => {
    const role = synthRole(
      defineRole({
        name: 'fx',
        description: 'fixture',
        vars: {},
        tasks: () => [
          task('Change', shell({ cmd: 'touch /x' }), {
            inCheckMode: 'skipped: nothing is touched',
            changed_when: true,
          }),
        ],
      }),
    );
    expect(String(role.files.get('roles/fx/tasks/main.yml'))).toMatch(
      /# In check mode: skipped: nothing is touched\n- name: Change/,
    );
  });
});

describe("a block's condition set inside the block", () => {
  const doc = (setter: Record<string, unknown>, after = true) => [
    {
      name: 'Open once',
      when: 'fx_closed',
      block: [setter, ...(after ? [{ name: 'Reconfigure', 'ansible.builtin.debug': { msg: 'x' } }] : [])],
    },
  ];
  it('refuses a set_fact or register of what the block reads, with tasks after it', () => {
    expect(
      blockConditionProblems(doc({ name: 'Open', 'ansible.builtin.set_fact': { fx_closed: false } }), 'tasks'),
    ).toEqual([
      expect.objectContaining({
        field: "tasks[0] 'Open once'.block[0] 'Open'.set_fact",
        message: expect.stringMatching(/^sets 'fx_closed', which the condition of its block 'Open once' reads/),
      }),
    ]);
    expect(
      blockConditionProblems(doc({ name: 'Probe', 'ansible.builtin.command': 'true', register: 'fx_closed' }), 'tasks'),
    ).toHaveLength(1);
  });
  it('takes it as the block last task, or another name', () => {
    expect(
      blockConditionProblems(doc({ name: 'Open', 'ansible.builtin.set_fact': { fx_closed: false } }, false), 'tasks'),
    ).toEqual([]);
    expect(
      blockConditionProblems(doc({ name: 'Open', 'ansible.builtin.set_fact': { fx_other: false } }), 'tasks'),
    ).toEqual([]);
  });
});
