// The mistakes the build refuses without TypeScript's help, one small fixture role each,
// rendered in-process (the same cases run end to end through `npm run build` in tests/compiler).
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { synthPlaybook, synthRole } from '../../compiler/synth.js';
import { toYaml } from '../../lib/yaml-out.js';
import {
  block,
  command,
  cond,
  debug,
  defineRole,
  file,
  handler,
  includeTasks,
  int,
  jinja,
  list,
  playbook,
  set_fact,
  str,
  systemd_service,
  task,
  type TaskItem,
} from '../../dsl/index.js';

// The fixture's variables serve the cases that read them; the others leave them unread, which
// the build also refuses (its own case below), so that refusal is left out here.
const UNREAD = /is declared but nothing in the role reads it/;
const problemsOf = (tasks: TaskItem[], extra: Partial<Parameters<typeof defineRole>[0]> = {}) =>
  synthRole(
    defineRole({
      name: 'fx',
      description: 'fixture',
      vars: { fx_port: int({ description: 'p', default: 1 }) },
      tasks: () => tasks,
      ...extra,
    }),
  )
    .problems.map((p) => `${p.field}: ${p.message}`)
    .filter((m) => !UNREAD.test(m));
const run = (name: string, opts = {}) => task(name, command({ cmd: 'true' }), { changed_when: false, ...opts });

describe('refusals the build makes without TypeScript', () => {
  it('unknown task keys passed through a variable', () => {
    const opts = { whenn: 'x' } as object;
    expect(problemsOf([run('Run', opts)])).toEqual([
      expect.stringMatching(/^tasks\[0\] 'Run'\.whenn: unknown task key 'whenn'; did you mean 'when'\?/),
    ]);
  });
  it('a condition written as a template', () => {
    expect(problemsOf([run('Run', { when: '{{ fx_port }} == 1' })])[0]).toMatch(
      /\.when: a condition is a bare Jinja expression, not a template/,
    );
  });
  it('a registered result read before its task; a loop variable outside its loop', () => {
    expect(
      problemsOf([
        task('Early', debug({ msg: '{{ fx_out }}' })),
        run('Produce', { register: 'fx_out', loop: [1], loop_control: { loop_var: 'fx_i' } }),
        task('Late', debug({ msg: '{{ fx_out }} {{ fx_i }}' })),
      ]),
    ).toEqual([
      expect.stringMatching(/^tasks\[0\] 'Early'.*reads undeclared variable 'fx_out'/),
      expect.stringMatching(/^tasks\[2\] 'Late'.*reads undeclared variable 'fx_i'/),
    ]);
  });
  it('an undeclared variable in a default', () => {
    const vars = { fx_dir: str({ description: 'd', default: '{{ fx_root }}/x' }) };
    expect(synthRole(defineRole({ name: 'fx', description: 'f', vars, tasks: () => [] })).problems[0]?.field).toBe(
      'vars.fx_dir.default',
    );
  });
  it('duplicate task and handler names', () => {
    const h = handler('Restart', systemd_service({ name: 'x', state: 'restarted' }));
    expect(problemsOf([run('Run'), run('Run')], { handlers: () => [h, h] })).toEqual([
      expect.stringMatching(/^tasks\[1\] 'Run': task name 'Run' is used twice/),
      expect.stringMatching(/^handlers\[1\] 'Restart': handler name 'Restart' is used twice.*runs only the first/),
    ]);
  });
  it('file modes that are not octal strings, reserved names, an empty block', () => {
    expect(
      problemsOf([
        task('Mode', file({ path: '/x', state: 'touch', mode: '0999' })),
        task('Number', file({ path: '/y', state: 'touch', mode: 755 })),
        run('Reserved', { register: 'hostvars' }),
        block('Empty', []),
      ]),
    ).toEqual([
      expect.stringMatching(/'Mode'.*mode '0999' is neither an octal mode/),
      expect.stringMatching(/'Number'.*mode 755 is a number/),
      expect.stringMatching(/'Reserved'\.register: 'hostvars' is a name Ansible reserves/),
      expect.stringMatching(/'Empty'\.block: an empty block/),
    ]);
  });
  it("a block with when keeps ansible-lint's key order: when before block", () => {
    const s = synthRole(
      defineRole({
        name: 'fx',
        description: 'f',
        vars: {},
        tasks: () => [block('Guarded', [run('Run')], { when: 'true', become: true })],
      }),
    );
    expect(String(s.files.get('roles/fx/tasks/main.yml'))).toMatch(
      /- name: Guarded\n {2}when: "true"\n {2}become: true\n {2}block:/,
    );
  });
  it('a list variable takes any element of its type, lists of mappings included', () => {
    const vars = { fx_peers: list({ elements: 'dict', default: [{ address: 'a' }], description: 'p' }) };
    const role = defineRole({ name: 'fx', description: 'f', vars, tasks: () => [] });
    const s = synthPlaybook(
      playbook({
        name: 'p',
        description: 'P',
        plays: [{ name: 'Play', hosts: 'all', roles: [role.use({ fx_peers: [{ address: 'b', port: 1 }] })] }],
      }),
      { roles: [role] },
    );
    expect(s.problems).toEqual([]);
  });
  it('a role use and a playbook import take the same conditions as a task: typed, or a list', () => {
    const vars = { fx_mode: str({ default: 'a', description: 'm' }) };
    const role = defineRole({ name: 'fx', description: 'f', vars, tasks: () => [] });
    const inner = playbook({ name: 'inner', description: 'I', plays: [{ name: 'I', hosts: 'all', tasks: [] }] });
    const s = synthPlaybook(
      playbook({
        name: 'p',
        description: 'P',
        plays: [
          { name: 'Play', hosts: 'all', roles: [role.use({}, { when: cond`${jinja<string>('fx_mode')} == ${'b'}` })] },
          { import_playbook: inner, when: ['x is defined', true] },
        ],
      }),
      { roles: [role], playbooks: [inner], inventoryVars: ['x'] },
    );
    expect(s.problems).toEqual([]);
    const out = parse(String(s.files.get('p.yml'))) as Record<string, unknown>[];
    expect(out[0]?.roles).toEqual([{ role: 'fx', when: 'fx_mode == "b"' }]);
    expect(out[1]?.when).toEqual(['x is defined', true]);
  });
  it('braces meant for the target get a pointer to {% raw %}', () => {
    expect(problemsOf([task('Alert', debug({ msg: '{{ labels.instance }}' }))])[0]).toContain('{% raw %}');
  });
  it('a line ending in a space is written so that ansible-lint accepts it', () => {
    const text = toYaml({ msg: 'a \nb', list: ['x  \n', 'y'] });
    expect(text.split('\n').filter((l) => / $/.test(l))).toEqual([]);
    expect(parse(text)).toEqual({ msg: 'a \nb', list: ['x  \n', 'y'] });
  });
  it('an unknown play key is reported with its field', () => {
    const s = synthPlaybook(
      playbook({ name: 'p', description: 'P', plays: [{ name: 'Play', hosts: 'all', gather_fact: false } as never] }),
    );
    expect(s.problems.map((p) => p.field)).toEqual(["plays[0] 'Play'.gather_fact"]);
  });
  it('a secret in what no_log cannot hide (a task name, an environment) or in loop items without no_log', () => {
    const fx_key = str({ description: 'k', secret: true, required: true });
    const out = problemsOf(
      [
        run('Load {{ fx_key }}', { no_log: true }),
        run('Export', { environment: { KEY: '{{ fx_key }}' }, no_log: true }),
        run('Each', { loop: ['{{ fx_key }}'] }),
        run('Each, hidden', { loop: ['{{ fx_key }}'], no_log: true }),
      ],
      { vars: { fx_port: int({ description: 'p', default: 1 }), fx_key } },
    );
    expect(out.map((l) => l.split(': reads')[0]!.split(': loops')[0])).toEqual([
      "tasks[0] 'Load {{ fx_key }}'.name",
      "tasks[1] 'Export'.environment",
      "tasks[2] 'Each'.no_log",
    ]);
    expect(out[1]).toContain('-vvv prints the environment');
    expect(out[2]).toContain('loops over secret variable fx_key');
  });
  it('rescue and always reading a result the block registers after its first task, unguarded', () => {
    const out = problemsOf([
      block('Set up', [run('First', { register: 'fx_first' }), run('Second', { register: 'fx_second' })], {
        rescue: [
          task('Say', debug({ msg: '{{ fx_first.rc }} {{ fx_second.rc }}' })),
          task('Say if it ran', debug({ msg: '{{ fx_second.rc }}' }), { when: 'fx_second is defined' }),
        ],
        always: [task('Say anyway', debug({ msg: "{{ fx_second.rc | default('none') }}" }))],
      }),
    ]);
    expect(out).toEqual([
      expect.stringMatching(
        /^tasks\[0\] 'Set up'\.rescue\[0\] 'Say'\.ansible\.builtin\.debug\.msg: reads 'fx_second', which a task of the block registers after its first/,
      ),
    ]);
  });
  it('an include looping over item whose task file loops over item too (the inner loop replaces the outer item)', () => {
    const out = problemsOf(
      [
        includeTasks('Each user', 'user', { loop: ['a', 'b'] }),
        includeTasks('Each user, named', 'user', { loop: ['a', 'b'], loop_control: { loop_var: 'fx_user' } }),
      ],
      { taskFiles: { user: () => [run('Each key', { loop: ['k1', 'k2'] })] } },
    );
    expect(out).toEqual([
      expect.stringMatching(
        /^tasks\[0\] 'Each user'\.loop_control: loops over 'item' and includes user\.yml, whose 'Each key' loops over 'item' too/,
      ),
    ]);
  });
  it('an int outside its bounds: a _port variable above 65535, a declared minimum, in a default and a play', () => {
    const role = defineRole({
      name: 'fx',
      description: 'fixture',
      vars: {
        fx_port: int({ description: 'p', default: 70000 }),
        fx_workers: int({ description: 'w', default: 2, min: 1, max: 64 }),
      },
      tasks: () => [task('Say', debug({ msg: '{{ fx_port }} {{ fx_workers }}' }))],
    });
    expect(synthRole(role).problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'vars.fx_port.default: 70000 is outside 1-65535 (a TCP port)',
    ]);
    const s = synthPlaybook(
      playbook({
        name: 'p',
        description: 'P',
        plays: [{ name: 'Play', hosts: 'all', roles: [role.use({ fx_port: 5432, fx_workers: 0 })] }],
      }),
    );
    expect(s.problems.map((p) => `${p.field}: ${p.message}`)).toContainEqual(
      expect.stringMatching(/fx_workers: 0 is outside 1-64$/),
    );
  });
  it("a literal password given to a role's secret variable in a play (it would land in out/ and git)", () => {
    const role = defineRole({
      name: 'fx',
      description: 'fixture',
      vars: { fx_key: str({ description: 'k', secret: true, required: true }) },
      tasks: () => [task('Use', debug({ msg: 'ok' }), { no_log: true, when: 'fx_key | length > 0' })],
    });
    const plays = (fx_key: string) =>
      synthPlaybook(
        playbook({
          name: 'p',
          description: 'P',
          plays: [{ name: 'Play', hosts: 'all', roles: [role.use({ fx_key })] }],
        }),
      )
        .problems.map((p) => `${p.field}: ${p.message}`)
        .filter((m) => !m.includes('is not among the roles')); // a fixture role outside roles-src/
    expect(plays('hunter2hunter2')).toEqual([
      expect.stringMatching(
        /^plays\[0\] 'Play'\.roles\[0\] 'fx'\.vars\.fx_key: a literal value for secret variable fx_key/,
      ),
    ]);
    expect(plays('{{ pgha_secrets.fx_key }}')).toEqual([]);
  });
  it('a play giving a list variable one string (a loop over it fails on the host)', () => {
    const role = defineRole({
      name: 'fx',
      description: 'fixture',
      vars: { fx_users: list({ description: 'u', elements: 'str', default: [] }) },
      tasks: () => [task('Each', debug({ msg: '{{ item }}' }), { loop: '{{ fx_users }}' })],
    });
    const out = synthPlaybook(
      playbook({
        name: 'p',
        description: 'P',
        plays: [{ name: 'Play', hosts: 'all', roles: [role.use({ fx_users: 'alice' as never })] }],
      }),
    ).problems.map((p) => `${p.field}: ${p.message}`);
    expect(out).toContainEqual(
      expect.stringMatching(
        /^plays\[0\] 'Play'\.roles\[0\] 'fx'\.vars\.fx_users: a list variable given "alice".*write \["alice"\]$/,
      ),
    );
  });
  it('a tag with a space or a comma, which no --tags selects (a Jinja tag is templated, taken)', () => {
    expect(problemsOf([run('Run', { tags: ['setup db', 'a,b', 'port-{{ fx_port }}', 'fine-tag_1'] })])).toEqual([
      expect.stringMatching(/^tasks\[0\] 'Run'\.tags: tag 'setup db' has a space or a comma.*\('setup-db'\)$/),
      expect.stringMatching(/^tasks\[0\] 'Run'\.tags: tag 'a,b' /),
    ]);
  });
  it("no_log on a block hides every task in it (Ansible's keyword inheritance); a task that sets no_log: false is still refused", () => {
    const fx_key = str({ description: 'k', secret: true, required: true });
    const out = problemsOf(
      [
        block(
          'Handle the key',
          [run('Use it', { loop: ['{{ fx_key }}'] }), run('Show it', { loop: ['{{ fx_key }}'], no_log: false })],
          {
            no_log: true,
          },
        ),
        block('Not hidden', [run('Use it again', { loop: ['{{ fx_key }}'] })]),
      ],
      { vars: { fx_port: int({ description: 'p', default: 1 }), fx_key } },
    );
    expect(out.map((l) => l.split(': loops')[0])).toEqual([
      "tasks[0] 'Handle the key'.block[1] 'Show it'.no_log",
      "tasks[1] 'Not hidden'.block[0] 'Use it again'.no_log",
    ]);
  });
  it('a secret carried under another name (a fact, a task variable, a vars/ entry, a default) stays secret', () => {
    const fx_key = str({ description: 'k', secret: true, required: true });
    const out = problemsOf(
      [
        task('Copy the key', set_fact({ fx_copy: '{{ fx_key }}' }), { no_log: true }),
        task('Show the copy', debug({ msg: '{{ fx_copy }}' })),
        task('Show the file entry', debug({ msg: '{{ fx_dsn }}' })),
        task('Show the default', debug({ msg: '{{ fx_url }}' })),
        run('Pass it on', { vars: { fx_arg: '{{ fx_copy }}' }, environment: { A: '{{ fx_arg }}' }, no_log: true }),
      ],
      {
        vars: { fx_url: str({ description: 'u', default: 'https://u:{{ fx_key }}@x/' }), fx_key },
        varsFiles: { main: { fx_dsn: 'password={{ fx_key }}' } },
      },
    );
    expect(out.map((l) => l.split(':')[0])).toEqual([
      "tasks[1] 'Show the copy'.no_log",
      "tasks[2] 'Show the file entry'.no_log",
      "tasks[3] 'Show the default'.no_log",
      "tasks[4] 'Pass it on'.environment",
    ]);
  });
  it('a declared variable nothing in the role reads (a value set for it would change nothing)', () => {
    const out = synthRole(
      defineRole({
        name: 'fx',
        description: 'fixture',
        vars: {
          fx_port: int({ description: 'p', default: 1 }),
          fx_mode: str({ description: 'm', default: 'a' }),
          fx_user: str({ description: 'u', default: 'root' }),
        },
        tasks: () => [run('Run', { when: "fx_mode == 'a'" }), task('Show', debug({ msg: '{{ fx_user }}' }))],
      }),
    ).problems.map((p) => `${p.field}: ${p.message}`);
    expect(out).toEqual([
      "vars.fx_port: 'fx_port' is declared but nothing in the role reads it: a value set for it changes nothing; use it or remove it",
    ]);
  });
});
