// Mistakes Ansible only rejects on a host, or accepts and then does something else: rollout numbers,
// module argument pairs its action plugins refuse, and a notify that can never fire.
import { describe, expect, it } from 'vitest';
import {
  checkArgumentVariables,
  checkLoopTypes,
  checkShadowing,
  checkTaskList,
  playRolloutProblems,
  shellOperator,
} from '../../compiler/check/tasks.js';
import {
  command,
  copy,
  file,
  handler,
  lineinfile,
  set_fact,
  systemd_service,
  task,
  template,
  uri,
  type TaskItem,
} from '../../dsl/index.js';

const problems = (items: readonly TaskItem[]) => {
  const out: string[] = [];
  checkTaskList(items, 'tasks', (f, m) => out.push(`${f}: ${m}`));
  return out;
};
const restart = handler('Restart x', systemd_service({ name: 'x', state: 'restarted' }));

describe('rollout numbers', () => {
  it('refuses a serial below one host or outside 0-100 %, and a failure percentage over 100', () => {
    expect(playRolloutProblems({ serial: -1 })).toEqual([
      ['serial', 'serial -1: expected a whole number of at least 1'],
    ]);
    expect(playRolloutProblems({ serial: ['150%'] })[0]![1]).toMatch(/at most 100%/);
    expect(playRolloutProblems({ serial: 'all' })[0]![1]).toMatch(/a number of hosts, a percentage/);
    expect(playRolloutProblems({ max_fail_percentage: 150 })).toEqual([
      ['max_fail_percentage', 'max_fail_percentage 150: expected a whole number from 0 to 100'],
    ]);
    expect(playRolloutProblems({ serial: [1, '30%', '{{ batch }}'], max_fail_percentage: 0 })).toEqual([]);
  });

  it('refuses negative retries, delay and throttle on a task', () => {
    const t = task('Wait', uri({ url: 'http://x' }), { retries: 3, delay: -5, throttle: -1 });
    expect(problems([t])).toEqual([
      "tasks[0] 'Wait'.delay: delay -5: expected a whole number of at least 0",
      "tasks[0] 'Wait'.throttle: throttle -1: expected a whole number of at least 0",
    ]);
  });
});

describe('shell syntax in command, which runs no shell', () => {
  it('refuses a pipe, a redirection, a chain and a substitution outside quotes and Jinja, naming the way out', () => {
    const out = problems([
      task('Pipe', command({ cmd: 'dpkg -l | grep postgres' })),
      task('Redirect', command({ cmd: 'pg_dumpall > /tmp/all.sql' })),
      task('Chain', command({ cmd: 'apt-get update && apt-get upgrade' })),
      task('Substitution', command({ cmd: 'kill $(cat /run/x.pid)' })),
    ]);
    expect(out).toEqual(
      [
        ['Pipe', '|'],
        ['Redirect', '>'],
        ['Chain', '&&'],
        ['Substitution', '$('],
      ].map(
        ([name, op], i) =>
          `tasks[${i}] '${name}'.ansible.builtin.command.cmd: '${op}' reaches the program as a word of its own: command runs no shell. Use shell (it pipes and redirects), or split the pipeline into tasks`,
      ),
    );
  });

  it("takes what command's own word splitting keeps as data: quotes, escapes, Jinja filters, argv", () => {
    expect(shellOperator(`grep -E 'a|b' /etc/x`)).toBeUndefined();
    expect(shellOperator('psql -c "SELECT 1 > 0"')).toBeUndefined();
    expect(shellOperator('find /tmp -name x -exec rm {} \\;')).toBeUndefined();
    expect(shellOperator("echo {{ items | join(',') }} {% if x %}y{% endif %}")).toBeUndefined();
    expect(shellOperator("echo '{{ a }}' | wc -l")).toBe('|');
    expect(problems([task('Argv', command({ argv: ['sh', '-c', 'a | b'] }))])).toEqual([]);
  });
});

describe('argument combinations refused on the host', () => {
  it('copy with content and src, a link without src, a template into a folder, validate without %s, a port out of range', () => {
    const out = problems([
      task('Both', copy({ content: 'a', src: 'a.txt', dest: '/etc/a' })),
      task('Link', file({ path: '/etc/b', state: 'link' })),
      task('Folder', template({ src: 'c.j2', dest: '/etc/c/', validate: 'check-c' })),
      task('Port', uri({ url: 'http://x', port: 70000 } as never)),
    ]);
    expect(out).toEqual([
      "tasks[0] 'Both'.ansible.builtin.copy.src: copy takes content or src, not both (the action plugin refuses the pair)",
      "tasks[1] 'Link'.ansible.builtin.file.src: file with state: link needs src, the file the link points to",
      "tasks[2] 'Folder'.ansible.builtin.template.dest: dest '/etc/c/' ends with '/': template then writes the source file's own name into that folder; name the file",
      "tasks[2] 'Folder'.ansible.builtin.template.validate: validate 'check-c' has no %s: Ansible refuses it (the command must name the temporary file)",
      "tasks[3] 'Port'.ansible.builtin.uri.port: port 70000: expected 1 to 65535",
    ]);
  });

  it('copy with nothing to write or content into a folder; lineinfile without what its code requires', () => {
    const out = problems([
      task('Nothing', copy({ dest: '/etc/a' })),
      task('Into a folder', copy({ content: 'a', dest: '/etc/a/' })),
      task('No line', lineinfile({ path: '/etc/b', regexp: '^b=' })),
      task('Remove what', lineinfile({ path: '/etc/b', state: 'absent' })),
      task('Backrefs', lineinfile({ path: '/etc/b', line: 'b=\\1', backrefs: true })),
      task('Aliases', lineinfile({ path: '/etc/b', value: 'b=1', regex: '^b=' })),
      task('Remove by pattern', lineinfile({ path: '/etc/b', state: 'absent', regexp: '^b=' })),
    ]);
    expect(out.map((l) => l.split(': ').slice(0, 2).join(': '))).toEqual([
      "tasks[0] 'Nothing'.ansible.builtin.copy.src: copy needs src (a file) or content (a text) to write",
      "tasks[1] 'Into a folder'.ansible.builtin.copy.dest: dest '/etc/a/' ends with '/'",
      "tasks[2] 'No line'.ansible.builtin.lineinfile.line: lineinfile with state",
      "tasks[3] 'Remove what'.ansible.builtin.lineinfile.state: lineinfile with state",
      "tasks[4] 'Backrefs'.ansible.builtin.lineinfile.backrefs: backrefs",
    ]);
  });

  it('refuses a loop and a with_ lookup on one task, and a loop_control with no loop', () => {
    const echo = command({ argv: ['echo', '{{ item }}'] });
    const out = problems([
      task('Both', echo, { loop: [1], with: { lookup: 'items', terms: [2] }, changed_when: false }),
      task('Forgot the loop', echo, { loop_control: { label: '{{ item }}' }, changed_when: false }),
    ]);
    expect(out).toEqual([
      "tasks[0] 'Both'.with: a task takes loop or with, not both: Ansible stops with 'duplicate loop in task'",
      "tasks[1] 'Forgot the loop'.loop_control: loop_control without loop or with: it does nothing; add the loop or remove it",
    ]);
  });

  it('refuses a negative timeout on a task and a negative pause between loop items', () => {
    const t = task('Wait', uri({ url: 'http://x' }), { timeout: -1, loop: [1], loop_control: { pause: -2 } });
    expect(problems([t])).toEqual([
      "tasks[0] 'Wait'.timeout: timeout -1: expected a whole number of at least 0",
      "tasks[0] 'Wait'.loop_control.pause: pause -2: expected a whole number of at least 0",
    ]);
  });

  it('refuses a literal password, which would land in out/', () => {
    const out = problems([
      task('Log in', uri({ url: 'http://x', url_password: 'hunter2' })),
      task('Log in from a secret', uri({ url: 'http://x', url_password: '{{ web_password }}' }), { no_log: true }),
    ]);
    expect(out).toEqual([
      "tasks[0] 'Log in'.ansible.builtin.uri.url_password: a literal url_password would be written into out/: read it from a variable declared secret (or the secrets file)",
    ]);
  });

  it('refuses changed_when: false on a task that notifies (its handler could never run)', () => {
    const t = task('Configure', copy({ content: 'a', dest: '/etc/a' }), { notify: [restart], changed_when: false });
    expect(problems([t])).toEqual([
      "tasks[0] 'Configure'.changed_when: changed_when: false on a task that notifies: its handlers never run, whatever the task changes; drop one of the two",
    ]);
  });
});

describe("a role's variables are not overwritten by its own tasks", () => {
  const shadowing = (items: readonly TaskItem[]) => {
    const out: string[] = [];
    checkShadowing(items, new Set(['web_port', 'web_packages']), 'tasks', (f, m) => out.push(`${f}: ${m}`));
    return out;
  };

  it('refuses a register, a set_fact and a loop variable named like a role variable', () => {
    expect(
      shadowing([
        task('Read', command({ argv: ['true'] }), { register: 'web_port', changed_when: false }),
        task('Pick', set_fact({ web_packages: ['nginx'] })),
        task('Each', command({ argv: ['echo', '{{ web_port }}'] }), {
          loop: [1],
          loop_control: { loop_var: 'web_port' },
          changed_when: false,
        }),
      ]).map((l) => l.split(':')[0]),
    ).toEqual([
      "tasks[0] 'Read'.register",
      "tasks[1] 'Pick'.ansible.builtin.set_fact.web_packages",
      "tasks[2] 'Each'.loop_control.loop_var",
    ]);
  });

  it('accepts the fill-in idiom: set_fact under `when: x is not defined`', () => {
    expect(
      shadowing([task('Default', set_fact({ web_packages: ['nginx'] }), { when: 'web_packages is not defined' })]),
    ).toEqual([]);
  });
});

describe('loops', () => {
  it('refuses a loop over a role variable that holds a string or a dict; a list passes', () => {
    const out: string[] = [];
    const types = new Map([
      ['web_name', 'str'],
      ['web_sites', 'dict'],
      ['web_packages', 'list'],
    ]);
    checkLoopTypes(
      [
        task('A', command({ argv: ['echo', '{{ item }}'] }), { loop: '{{ web_name }}', changed_when: false }),
        task('B', command({ argv: ['echo', '{{ item }}'] }), { loop: '{{ web_sites }}', changed_when: false }),
        task('C', command({ argv: ['echo', '{{ item }}'] }), { loop: '{{ web_packages }}', changed_when: false }),
      ],
      types,
      'tasks',
      (f, m) => out.push(`${f}: ${m}`),
    );
    expect(out.map((l) => l.split(': ')[0])).toEqual(["tasks[0] 'A'.loop", "tasks[1] 'B'.loop"]);
    expect(out[0]).toContain("loops over 'web_name', a str variable");
  });

  it('refuses a loop over a registered result (a dict) or an attribute its module documents as not a list', () => {
    const out: string[] = [];
    const read = task('Read', command({ argv: ['ls'] }), { register: 'web_ls', changed_when: false });
    const each = (loop: `{{ ${string} }}`) =>
      task(`Each ${loop}`, command({ argv: ['echo', '{{ item }}'] }), { loop, changed_when: false });
    checkLoopTypes(
      [
        read,
        each('{{ web_ls }}'),
        each('{{ web_ls.stdout }}'),
        each('{{ web_ls.stdout_lines }}'),
        each('{{ web_ls.stdout | split }}'),
      ],
      new Map(),
      'tasks',
      (f, m) => out.push(`${f}: ${m}`),
    );
    expect(out).toEqual([
      "tasks[1] 'Each {{ web_ls }}'.loop: loops over 'web_ls', a registered result: a result is a dict; loop over one of its lists (web_ls.stdout_lines)",
      "tasks[2] 'Each {{ web_ls.stdout }}'.loop: loops over 'web_ls.stdout', which ansible.builtin.command documents as str: loop takes a list; loop over web_ls.stdout_lines",
    ]);
  });
});

describe('module arguments that are role variables', () => {
  it('refuses a variable whose type the argument cannot take, or whose choices or default it does not take', () => {
    const out: string[] = [];
    const vars = new Map<string, { type: string; choices?: readonly unknown[]; default?: unknown }>([
      ['web_sites', { type: 'list' }],
      ['web_state', { type: 'str', choices: ['started', 'runing'] }],
      ['web_mode', { type: 'str', default: 'on' }],
      ['web_port', { type: 'int', default: 80 }],
      ['web_action', { type: 'str', choices: ['started', 'stopped'] }],
    ]);
    checkArgumentVariables(
      [
        task('Wait', uri({ url: 'http://x', timeout: '{{ web_sites }}' } as never)),
        task('Start', systemd_service({ name: 'web', state: '{{ web_state }}' } as never)),
        task('Mode', systemd_service({ name: 'web', state: '{{ web_mode }}' } as never)),
        task('Fine', systemd_service({ name: 'web', state: '{{ web_action }}' } as never)),
        task('Port', uri({ url: 'http://x', timeout: '{{ web_port }}' } as never)),
      ],
      vars,
      'tasks',
      (f, m) => out.push(`${f}: ${m}`),
    );
    expect(out).toEqual([
      "tasks[0] 'Wait'.ansible.builtin.uri.timeout: 'web_sites' is a list variable, and timeout takes an int: Ansible refuses the conversion on the host",
      "tasks[1] 'Start'.ansible.builtin.systemd_service.state: 'web_state' may be 'runing' (its choices), which state does not take (expected one of reloaded, restarted, started, stopped)",
      "tasks[2] 'Mode'.ansible.builtin.systemd_service.state: 'web_mode' may be 'on' (its default), which state does not take (expected one of reloaded, restarted, started, stopped)",
    ]);
  });
});
