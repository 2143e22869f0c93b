// What real roles need, rendered in-process: task files and includes, variable files per OS,
// include_role, template subfolders, optional variables, import_playbook, noqa and comments.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { synthPlaybook, synthRole } from '../../compiler/synth.js';
import {
  command,
  cond,
  debug,
  defineRole,
  importPlaybook,
  importTasks,
  includeRole,
  includeTasks,
  includeVars,
  int,
  playbook,
  str,
  task,
  template,
} from '../../dsl/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const messages = (s: { problems: { field: string; message: string }[] }) =>
  s.problems.map((p) => `${p.field}: ${p.message}`);
const yamlOf = (s: { files: Map<string, string | Buffer> }, p: string) => parse(String(s.files.get(p)));

const web = defineRole({
  name: 'web',
  description: 'A role with task files and OS variables',
  vars: {
    web_port: int({ description: 'Port', default: 80 }),
    web_admin: str({ description: 'Optional admin address' }),
  },
  varsFiles: { main: { web_user: 'www-data' }, Debian: { web_package: 'nginx' } },
  taskFiles: {
    install: (v) => [
      task('Install the server', command({ cmd: 'echo {{ web_package }} {{ web_user }}' }), {
        register: 'web_installed',
        changed_when: false,
      }),
      task('Report the port', debug({ msg: `${v.web_port}` })),
    ],
  },
  tasks: () => [
    includeVars('Load OS variables', '{{ ansible_facts.os_family }}'),
    includeTasks('Install', 'install'),
    task('Show what install registered', debug({ var: 'web_installed' }), { when: 'web_admin is defined' }),
  ],
});

describe('task files and variable files', () => {
  it('emits tasks/<file>.yml and vars/<file>.yml, and what an included file registers is readable after it', () => {
    const s = synthRole(web);
    expect(messages(s)).toEqual([]);
    expect(yamlOf(s, 'roles/web/tasks/main.yml')[1]).toEqual({
      name: 'Install',
      'ansible.builtin.include_tasks': { file: 'install.yml' },
    });
    expect(yamlOf(s, 'roles/web/tasks/install.yml').map((t: { name: string }) => t.name)).toEqual([
      'Install the server',
      'Report the port',
    ]);
    expect(yamlOf(s, 'roles/web/vars/Debian.yml')).toEqual({ web_package: 'nginx' });
    expect(yamlOf(s, 'roles/web/vars/main.yml')).toEqual({ web_user: 'www-data' });
  });

  it('leaves an optional variable out of defaults and gives its spec no default', () => {
    const s = synthRole(web);
    expect(yamlOf(s, 'roles/web/defaults/main.yml')).toEqual({ web_port: 80 });
    const options = yamlOf(s, 'roles/web/meta/argument_specs.yml').argument_specs.main.options;
    expect(options.web_admin).toEqual({ type: 'str', description: 'Optional admin address' });
    expect(options.web_port).not.toHaveProperty('required');
  });

  it('gives a required variable no default and `required: true`, and says so in the README', () => {
    const r = defineRole({
      name: 'req',
      description: 'A role with a required variable',
      vars: { req_network: str({ required: true, description: 'The network' }) },
      tasks: () => [task('Show it', debug({ msg: '{{ req_network }}' }))],
    });
    const s = synthRole(r);
    expect(messages(s)).toEqual([]);
    expect(yamlOf(s, 'roles/req/defaults/main.yml')).toEqual({});
    const options = yamlOf(s, 'roles/req/meta/argument_specs.yml').argument_specs.main.options;
    expect(options.req_network).toEqual({ type: 'str', description: 'The network', required: true });
    expect(String(s.files.get('roles/req/README.md'))).toContain(
      'Variables without a default, which the inventory or the play must set: `req_network`.',
    );
    // @ts-expect-error: a required variable takes no default
    str({ required: true, default: 'x', description: 'both' });
  });

  it('refuses a missing task file, a missing variable file and an import that loops', () => {
    const bad = defineRole({
      name: 'bad',
      description: 'x',
      vars: {},
      varsFiles: { Debian: { bad_x: 1 } },
      taskFiles: { setup: () => [] },
      tasks: () => [
        includeTasks('Install', 'instal'),
        importTasks('Configure', 'configure'),
        includeVars('Load', 'RedHat'),
        { ...importTasks('Each', 'setup'), loop: [1, 2] },
      ],
    });
    expect(messages(synthRole(bad))).toEqual([
      expect.stringMatching(
        /^tasks\[0\] 'Install'\.ansible\.builtin\.include_tasks\.file: task file 'instal.yml' is not among the role's task files \(have: main.yml, setup.yml\)/,
      ),
      expect.stringMatching(/^tasks\[1\] 'Configure'.*task file 'configure.yml' is not among/),
      expect.stringMatching(
        /^tasks\[2\] 'Load'\.ansible\.builtin\.include_vars\.file: variable file 'RedHat.yml' is not among the role's variable files \(have: Debian.yml\)/,
      ),
      expect.stringMatching(
        /^tasks\[3\] 'Each'\.loop: ansible\.builtin\.import_tasks is resolved when the play is parsed and cannot loop/,
      ),
    ]);
  });

  it("reads a variable-file variable only after include_vars, and a task file's register only after its include", () => {
    const early = defineRole({
      name: 'early',
      description: 'x',
      vars: {},
      varsFiles: { Debian: { early_pkg: 'x' } },
      taskFiles: {
        probe: () => [task('Probe', command({ cmd: 'true' }), { register: 'early_probe', changed_when: false })],
      },
      tasks: () => [
        task('Too early', debug({ msg: '{{ early_pkg }} {{ early_probe }}' })),
        includeVars('Load', 'Debian'),
        includeTasks('Probe', 'probe'),
        task('In time', debug({ msg: '{{ early_pkg }} {{ early_probe }}' })),
      ],
    });
    expect(messages(synthRole(early))).toEqual([
      expect.stringMatching(/^tasks\[0\] 'Too early'.*reads undeclared variable 'early_pkg'/),
      expect.stringMatching(/^tasks\[0\] 'Too early'.*reads undeclared variable 'early_probe'/),
    ]);
  });

  it('refuses variable-file names without the role prefix, reserved, or also declared', () => {
    const r = defineRole({
      name: 'pre',
      description: 'x',
      vars: { pre_a: int({ description: 'a', default: 1 }) },
      varsFiles: { main: { other: 1, pre_a: 2, environment: 3 } },
      tasks: () => [],
    });
    expect(messages(synthRole(r))).toEqual([
      expect.stringMatching(/^varsFiles\.main\.other: role variables must start with the role's name \('pre_'\)/),
      expect.stringMatching(/^varsFiles\.main\.pre_a: 'pre_a' is also a declared variable/),
      expect.stringMatching(/^varsFiles\.main\.environment: 'environment' is a name Ansible reserves/),
      "vars.pre_a: 'pre_a' is declared but nothing in the role reads it: a value set for it changes nothing; use it or remove it",
    ]);
  });
});

describe('include_role', () => {
  it('names a role object and checks tasks_from against that role', () => {
    const user = defineRole({
      name: 'user',
      description: 'x',
      vars: {},
      tasks: () => [
        includeRole('Install web', web, { tasks_from: 'install' }),
        includeRole('Broken', web, { tasks_from: 'deploy' }),
        includeRole('Gone', { name: 'nginx' }),
      ],
    });
    const s = synthRole(user, { roles: [web] });
    expect(yamlOf(s, 'roles/user/tasks/main.yml')[0]).toEqual({
      name: 'Install web',
      'ansible.builtin.include_role': { name: 'web', tasks_from: 'install' },
    });
    expect(messages(s)).toEqual([
      expect.stringMatching(
        /^tasks\[1\] 'Broken'.*tasks_from: role 'web' has no task file 'deploy' \(have: install.yml, main.yml\)/,
      ),
      expect.stringMatching(/^tasks\[2\] 'Gone'.*\.name: role 'nginx' is not among the roles in roles-src\//),
    ]);
  });
});

describe('templates in subfolders', () => {
  const sub = (src: string) =>
    defineRole({
      name: 'sub',
      description: 'x',
      vars: { sub_port: int({ description: 'p', default: 1 }) },
      tasks: () => [task('Configure', template({ src, dest: '/etc/x.conf', mode: '0644' }))],
    });
  it('emits templates/<folder>/<file> and finds it by its relative path', () => {
    const s = synthRole(sub('conf.d/server.conf.j2'), { dir: path.join(here, 'fixtures/subfolder-role') });
    expect(messages(s)).toEqual([]);
    expect(s.files.get('roles/sub/templates/conf.d/server.conf.j2')).toBe('server {{ sub_port }}\n');
  });
  it('refuses a template missing from the subfolder', () => {
    expect(
      messages(synthRole(sub('conf.d/client.conf.j2'), { dir: path.join(here, 'fixtures/subfolder-role') }))[0],
    ).toMatch(
      /'conf.d\/client.conf.j2' not found in templates\/ next to the role source \(have: conf.d\/server.conf.j2\)/,
    );
  });
});

describe('task layout: comments, noqa, blank lines', () => {
  const r = defineRole({
    name: 'lay',
    description: 'x',
    vars: { lay_mode: str({ description: 'm', default: 'a', choices: ['a', 'b'] }) },
    tasks: (v) => [
      task('Read the date', command({ cmd: 'date' }), {
        noqa: ['no-changed-when'],
        comment: 'Only to show the clock in the log;\nnothing reads it.',
      }),
      task('Show the mode', debug({ msg: 'b mode' }), { when: cond`${v.lay_mode} == ${'b'}` }),
    ],
  });
  it('writes the comment above the task, noqa on its name line, and a blank line between tasks', () => {
    const s = synthRole(r);
    expect(messages(s)).toEqual([]);
    expect(s.files.get('roles/lay/tasks/main.yml')).toBe(
      [
        '---',
        '# Only to show the clock in the log;',
        '# nothing reads it.',
        '- name: Read the date # noqa: no-changed-when',
        '  ansible.builtin.command:',
        '    cmd: date',
        '',
        '- name: Show the mode',
        '  ansible.builtin.debug:',
        '    msg: b mode',
        '  when: lay_mode == "b"',
        '',
      ].join('\n'),
    );
  });
  it('refuses a noqa that is not a rule id', () => {
    const bad = defineRole({
      name: 'nq',
      description: 'x',
      vars: {},
      tasks: () => [task('Run', command({ cmd: 'date' }), { noqa: ['no changed when'] })],
    });
    expect(messages(synthRole(bad))[0]).toMatch(/noqa: 'no changed when' is not an ansible-lint rule id/);
  });
});

describe('import_playbook', () => {
  const first = playbook({
    name: 'first',
    description: 'The first',
    plays: [{ name: 'One', hosts: 'all', tasks: [task('Ping', debug({ msg: 'x' }))] }],
  });
  it('imports a playbook of the project by object', () => {
    const s = synthPlaybook(
      playbook({ name: 'all', description: 'Everything', plays: [importPlaybook(first, { tags: ['first'] })] }),
      {
        playbooks: [first],
      },
    );
    expect(messages(s)).toEqual([]);
    expect(yamlOf(s, 'all.yml')).toEqual([
      { name: 'Run first: The first', 'ansible.builtin.import_playbook': 'first.yml', tags: ['first'] },
    ]);
  });
  it("refuses a playbook that is not among the project's", () => {
    const s = synthPlaybook(playbook({ name: 'all', description: 'Everything', plays: [importPlaybook(first)] }));
    expect(messages(s)[0]).toMatch(
      /plays\[0\]\.import_playbook: playbook 'first' is not among the playbooks in playbooks\//,
    );
  });
});
