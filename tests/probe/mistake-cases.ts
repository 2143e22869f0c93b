// The probe's mistakes (tests/probe/mistakes.ts), by class as issue 22 groups them. Each is a list
// of edits to the bad-input fixture: [file, text to replace (null: append), replacement].

export interface Mistake {
  class: string;
  name: string;
  edits: readonly (readonly [string, string | null, string])[];
}

const F = 'roles-src/clock/role.ts';
const P = 'playbooks/clock.ts';
const T = 'roles-src/clock/templates/clock.conf.j2';

/** Imports more of the DSL in the role. */
const uses = (...names: string[]) => [F, 'import { apt,', `import { ${names.join(', ')}, apt,`] as const;
/** A task before the last one. */
const before = (code: string) =>
  [F, "    task('Create the state folder'", `    ${code},\n    task('Create the state folder'`] as const;
/** Options on the 'Start clock' task. */
const onStart = (options: string) =>
  [
    F,
    "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
    `task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true }), ${options}),`,
  ] as const;
const onPlay = (keys: string) =>
  [P, "{ name: 'Clock clients', hosts: 'pg',", `{ name: 'Clock clients', hosts: 'pg', ${keys},`] as const;
const typedTasks = [F, 'tasks: () =>', 'tasks: (v) =>'] as const;
const declare = (decl: string) => [F, '    clock_local_stratum:', `    ${decl},\n    clock_local_stratum:`] as const;

export const MISTAKES: readonly Mistake[] = [
  // 1. Jinja beyond syntax
  {
    class: '1 jinja',
    name: 'unknown filter in a task',
    edits: [[F, "dest: '/etc/clock/clock.conf'", "dest: '/etc/clock/{{ clock_mode | uppr }}.conf'"]],
  },
  { class: '1 jinja', name: 'unknown filter in a template', edits: [[T, null, '{{ clock_mode | lowerr }}\n']] },
  {
    class: '1 jinja',
    name: 'unknown lookup plugin',
    edits: [[F, "dest: '/etc/clock/clock.conf'", "dest: \"{{ lookup('fille', '/etc/clock-name') }}\""]],
  },
  {
    class: '1 jinja',
    name: 'unknown lookup in a with_ loop',
    edits: [onStart("{ with: { lookup: 'fileglobb', terms: '/etc/clock/*.conf' } }")],
  },
  {
    class: '1 jinja',
    name: "unknown filter in a variable's default",
    edits: [[F, "default: '{{ clock_network }}'", "default: '{{ clock_network | lowerr }}'"]],
  },
  {
    class: '1 jinja',
    name: "unknown filter in a play's vars",
    edits: [onPlay("vars: { clock_label: '{{ inventory_hostname | upperr }}' }")],
  },
  { class: '1 jinja', name: 'unknown test in a condition', edits: [onStart("{ when: 'clock_mode is definde' }")] },
  {
    class: '1 jinja',
    name: 'template include of a missing file',
    edits: [[T, null, "{% include 'clock-extra.conf.j2' %}\n"]],
  },
  { class: '1 jinja', name: 'item in a template rendered without a loop', edits: [[T, null, '# {{ item }}\n']] },
  {
    class: '1 jinja',
    name: "groups['pgg'], a group no inventory has",
    edits: [[T, null, "# {{ groups['pgg'] | join(',') }}\n"]],
  },
  {
    class: '1 jinja',
    name: "hostvars['pg09'], a host no inventory has",
    edits: [[T, null, "# {{ hostvars['pg09'].ansible_host }}\n"]],
  },
  {
    class: '1 jinja',
    name: "names: delegate_to 'pg09', a host no inventory has",
    edits: [onStart("{ delegate_to: 'pg09' }")],
  },
  {
    class: '1 jinja',
    name: 'names: groups.pgg (attribute form), a group no inventory has',
    edits: [[T, null, '# {{ groups.pgg | length }}\n']],
  },
  {
    class: '1 jinja',
    name: "names: hostvars['pg09'] in a template loop",
    edits: [[T, null, "{% for k in hostvars['pg09'] %}# {{ k }}\n{% endfor %}\n"]],
  },
  {
    class: '1 jinja',
    name: "names: groups['pgg'] in a task's loop",
    edits: [onStart(`{ loop: "{{ groups['pgg'] }}" }`)],
  },
  {
    class: '1 jinja',
    name: "names: a play's delegate_to via a play task, a host no inventory has",
    edits: [
      onPlay("tasks: [task('Say', debug({ msg: 'hi' }), { delegate_to: 'pg9' })]"),
      [P, 'import { playbook }', 'import { debug, playbook, task }'],
    ],
  },
  {
    class: '1 jinja',
    name: "keys: a template reads a misspelt key of a list-of-dicts variable's item",
    edits: [
      uses('dict'),
      declare(
        "clock_peers: list({ elements: 'dict', options: { host: str({ description: 'Peer' }), port: int({ description: 'Port' }) }, default: [], description: 'Peers' })",
      ),
      [T, null, '{% for p in clock_peers %}\npeer {{ p.hots }}\n{% endfor %}\n'],
    ],
  },
  {
    class: '1 jinja',
    name: 'keys: a template reads a misspelt key of a dict variable',
    edits: [
      uses('dict'),
      declare(
        "clock_limits: dict({ options: { rate: int({ description: 'Rate' }) }, default: { rate: 1 }, description: 'Limits' })",
      ),
      [T, null, 'ratelimit {{ clock_limits.rat }}\n'],
    ],
  },
  {
    class: '1 jinja',
    name: 'keys: a looping task reads a misspelt key of its item',
    edits: [
      declare(
        "clock_peers: list({ elements: 'dict', options: { host: str({ description: 'Peer' }) }, default: [], description: 'Peers' })",
      ),
      onStart("{ loop: '{{ clock_peers }}', when: \"item['hots'] != ''\" }"),
    ],
  },
  {
    class: '1 jinja',
    name: 'a fact read in a play that gathers none',
    edits: [
      [T, null, '# {{ ansible_facts.hostname }}\n'],
      [P, 'any_errors_fatal: true }', 'any_errors_fatal: true, gather_facts: false }'],
    ],
  },
  {
    class: '1 jinja',
    name: 'an injected fact in a play task of a play that gathers none',
    edits: [
      onPlay("gather_facts: false, tasks: [task('Say', debug({ msg: '{{ ansible_hostname }}' }))]"),
      [P, 'import { playbook }', 'import { debug, playbook, task }'],
    ],
  },

  // 2. Values Ansible rejects on the host
  { class: '2 values', name: 'loop over a string variable', edits: [onStart("{ loop: '{{ clock_network }}' }")] },
  { class: '2 values', name: 'loop over an int variable', edits: [onStart("{ loop: '{{ clock_local_stratum }}' }")] },
  {
    class: '2 values',
    name: 'registered attribute near miss (stdout_line)',
    edits: [
      uses('command', 'debug'),
      before(
        "task('Read', command({ argv: ['chronyc', 'tracking'] }), { register: 'clock_tracking', changed_when: false })",
      ),
      before("task('Show', debug({ msg: '{{ clock_tracking.stdout_line }}' }))"),
    ],
  },
  {
    class: '2 values',
    name: 'loop over a registered attribute that is a string',
    edits: [
      uses('command', 'debug'),
      before(
        "task('Read', command({ argv: ['chronyc', 'sources'] }), { register: 'clock_sources', changed_when: false })",
      ),
      before("task('Show', debug({ msg: '{{ item }}' }), { loop: '{{ clock_sources.stdout }}' })"),
    ],
  },
  {
    class: '2 values',
    name: 'lineinfile without a line',
    edits: [
      uses('lineinfile'),
      before("task('Tune', lineinfile({ path: '/etc/clock/clock.conf', regexp: '^makestep' }))"),
    ],
  },
  { class: '3 rollout', name: 'timeout -1', edits: [onStart('{ timeout: -1 }')] },
  {
    class: '2 values',
    name: 'a variable whose choices an argument does not take',
    edits: [[F, "name: 'chrony', state: 'started'", "name: 'chrony', state: '{{ clock_mode }}'"]],
  },
  {
    class: '2 values',
    name: 'a list variable as a number argument',
    edits: [uses('wait_for'), before("task('Wait', wait_for({ port: 323, timeout: '{{ clock_servers }}' }))")],
  },
  {
    class: '2 values',
    name: 'validate without %s',
    edits: [[F, "mode: '0644' })", "mode: '0644', validate: 'chronyd -p -f' })"]],
  },
  {
    class: '2 values',
    name: 'copy with content and src',
    edits: [
      uses('copy'),
      before("task('Copy', copy({ content: 'x', src: 'x.conf', dest: '/etc/x.conf', mode: '0644' }))"),
    ],
  },
  {
    class: '2 values',
    name: 'file state link without src',
    edits: [
      [
        F,
        "file({ path: '/var/lib/clock', state: 'directory', mode: '0755' })",
        "file({ path: '/var/lib/clock', state: 'link' })",
      ],
    ],
  },
  {
    class: '2 values',
    name: "template dest ending in '/'",
    edits: [[F, "dest: '/etc/clock/clock.conf'", "dest: '/etc/clock/'"]],
  },
  {
    class: '2 values',
    name: 'port outside 1-65535',
    edits: [uses('wait_for'), before("task('Wait', wait_for({ port: 70000 }))")],
  },
  { class: '2 values', name: 'mode as a decimal number', edits: [[F, "mode: '0755'", 'mode: 755 as never']] },

  // 3. Rollout numbers
  { class: '3 rollout', name: 'serial -1', edits: [onPlay('serial: -1')] },
  { class: '3 rollout', name: "serial '150%'", edits: [onPlay("serial: '150%'")] },
  { class: '3 rollout', name: 'throttle -1', edits: [onStart('{ throttle: -1 }')] },
  {
    class: '3 rollout',
    name: 'delay -5',
    edits: [onStart("{ register: 'clock_start', until: 'clock_start is succeeded', retries: 3, delay: -5 }")],
  },
  { class: '3 rollout', name: 'max_fail_percentage 150', edits: [onPlay('max_fail_percentage: 150')] },

  // 4. Silent overrides and dead changes
  {
    class: '4 overrides',
    name: 'set_fact of a role variable',
    edits: [uses('set_fact'), before("task('Pick', set_fact({ clock_mode: 'server' }))")],
  },
  { class: '4 overrides', name: 'register named like a role variable', edits: [onStart("{ register: 'clock_mode' }")] },
  {
    class: '4 overrides',
    name: 'loop_var named like a role variable',
    edits: [onStart("{ loop: ['a'], loop_control: { loop_var: 'clock_network' } }")],
  },
  {
    class: '4 overrides',
    name: 'changed_when false on a task that notifies',
    edits: [[F, "notify: ['Restart clock'],", "notify: ['Restart clock'], changed_when: false,"]],
  },
  {
    class: '4 overrides',
    name: 'int variable compared with a string literal',
    edits: [uses('cond'), typedTasks, onStart("{ when: cond`${v.clock_local_stratum} == '10'` }")],
  },
  {
    class: '4 overrides',
    name: 'str variable compared with a number',
    edits: [onStart("{ when: 'clock_network == 10' }")],
  },
  {
    class: '4 overrides',
    name: 'role use when reading an undeclared variable',
    edits: [
      [P, "clock.use({ clock_mode: 'client' })", "clock.use({ clock_mode: 'client' }, { when: 'clock_enabled' })"],
    ],
  },
  {
    class: '4 overrides',
    name: 'vars_files entry that does not exist',
    edits: [onPlay("vars_files: [{ path: 'vars/clock.yml', provides: [] }]")],
  },
  {
    class: '4 overrides',
    name: 'template reads a result registered by a later task',
    edits: [onStart("{ register: 'clock_started' }"), [T, null, '# {{ clock_started.status }}\n']],
  },

  // 5. Secrets
  {
    class: '5 secrets',
    name: 'secret on a command line without no_log',
    edits: [
      uses('command'),
      declare("clock_key: str({ secret: true, default: '', description: 'Key' })"),
      before("task('Load key', command({ argv: ['chronyc', 'key', '{{ clock_key }}'] }), { changed_when: false })"),
    ],
  },
  {
    class: '5 secrets',
    name: 'secret in a task environment (-vvv prints it, no_log or not)',
    edits: [
      uses('command'),
      declare("clock_key: str({ secret: true, default: '', description: 'Key' })"),
      before(
        "task('Load key', command({ argv: ['chronyc', 'reload', 'keys'] }), { environment: { KEY: '{{ clock_key }}' }, no_log: true, changed_when: false })",
      ),
    ],
  },
  {
    class: '5 secrets',
    name: 'secret rendered by a template without diff: false',
    edits: [
      declare("clock_key: str({ secret: true, default: '', description: 'Key' })"),
      [T, null, 'key {{ clock_key }}\n'],
    ],
  },
  {
    class: '5 secrets',
    name: 'literal password in a role',
    edits: [uses('user'), before("task('User', user({ name: 'clock', password: 'hunter2hunter2' }))")],
  },
  {
    class: '5 secrets',
    name: 'dict secret rendered by a template',
    edits: [
      uses('dict'),
      declare("clock_keys: dict({ secret: true, default: {}, description: 'Keys' })"),
      [T, null, '{{ clock_keys | to_json }}\n'],
    ],
  },
  {
    class: '5 secrets',
    name: 'typo in a list of dicts',
    edits: [
      declare(
        "clock_peers: list({ elements: 'dict', options: { host: str({ required: true, description: 'Peer' }) }, default: [], description: 'Peers' })",
      ),
      [P, 'const common', "const peers = { clock_peers: [{ hots: 'a' }] } as never;\nconst common"],
      [P, "clock.use({ clock_mode: 'client' })", "clock.use({ clock_mode: 'client', ...(peers as object) })"],
    ],
  },

  // 6. Composition that drops work
  {
    class: '6 composition',
    name: "a role's plays added to site but not to its order",
    edits: [
      [
        'playbooks/site.ts',
        'export const sitePlays = {',
        "import clockRole from '../roles-src/clock/role.js';\nexport const sitePlays = {\n  clock: [{ name: 'Clock', hosts: 'pg', roles: [clockRole.use({})] }],",
      ],
    ],
  },
  {
    class: '6 composition',
    name: 'a handler notified by no task',
    edits: [
      [F, "notify: ['Restart clock'],", ''],
      [
        F,
        "handler('Restart clock', systemd_service({ name: 'chrony', state: 'restarted' })),",
        "handler('Restart clock', systemd_service({ name: 'chrony', state: 'restarted' })),\n    handler('Reload clock', systemd_service({ name: 'chrony', state: 'reloaded' })),",
      ],
    ],
  },
  {
    class: '6 composition',
    name: 'a task file nothing includes',
    edits: [
      [
        F,
        '  handlers: () =>',
        "  taskFiles: { extra: () => [task('Extra', file({ path: '/var/lib/clock/x', state: 'touch', mode: '0644' }))] },\n  handlers: () =>",
      ],
    ],
  },

  // Messages: refused before too; the probe prints where each points
  {
    class: 'messages',
    name: 'a required variable no play or inventory sets',
    edits: [declare("clock_key: str({ required: true, description: 'Key' })")],
  },
  { class: 'messages', name: 'two roles of one name', edits: [[F, "name: 'clock',", "name: 'ntp',"]] },
  { class: 'messages', name: 'an empty task name', edits: [[F, "task('Start clock'", "task(''"]] },
  { class: 'messages', name: 'a missing template source', edits: [[F, "src: 'clock.conf.j2'", "src: 'clok.conf.j2'"]] },
  {
    class: 'messages',
    name: 'an unknown variable passed through a spread',
    edits: [
      [P, 'const common', "const extra = { clock_mod: 'x' } as never;\nconst common"],
      [P, "clock.use({ clock_mode: 'server' })", "clock.use({ clock_mode: 'server', ...(extra as object) })"],
    ],
  },
  {
    class: 'messages',
    name: 'a hyphen in a variable name',
    edits: [declare("'clock-key': str({ default: 'a', description: 'Key' })")],
  },
  { class: 'messages', name: 'a misspelt variable in a template', edits: [[T, null, '{{ clock_mod }}\n']] },
  {
    class: 'messages',
    name: 'a choice typo in a module argument',
    edits: [[F, "state: 'started', enabled", "state: 'startd', enabled"]],
  },
  {
    class: 'messages',
    name: 'a circular role dependency',
    edits: [
      [
        'roles-src/ring/role.ts',
        null,
        "import { defineRole } from '../../dsl/index.js';\nimport clock from '../clock/role.js';\n\nexport default defineRole({ name: 'ring', description: 'Ring', vars: {}, dependencies: [clock.use({})], tasks: () => [] });\n",
      ],
      [F, 'import { apt,', "import ring from '../ring/role.js';\nimport { apt,"],
      [F, '  handlers: () =>', '  dependencies: [ring.use({})],\n  handlers: () =>'],
    ],
  },
  // Commands: shell syntax that command hands to the program as words.
  {
    class: '7 commands',
    name: 'a pipe in command',
    edits: [
      uses('command'),
      before("task('List the clock packages', command({ cmd: 'dpkg -l | grep chrony' }), { changed_when: false })"),
    ],
  },
  // Check mode: a plan (npm run plan) would read a skipped result.
  {
    class: '7 commands',
    name: 'a command whose result a later task reads, silent about check mode',
    edits: [
      uses('command', 'debug'),
      before(
        "task('Read the offset', command({ cmd: 'chronyc tracking' }), { changed_when: false, register: 'clock_tracking' }), task('Show the offset', debug({ msg: '{{ clock_tracking.stdout }}' }))",
      ),
    ],
  },
  // Keyword inheritance: a block's when is checked before each of its tasks.
  {
    class: '4 registered',
    name: 'a block that sets the variable its own when reads (the rest of it skipped)',
    edits: [
      uses('block', 'debug', 'set_fact'),
      before(
        "block('Open once', [task('Note it open', set_fact({ clock_closed: false })), task('Say it', debug({ msg: 'open' }))], { when: 'clock_closed | default(true)' })",
      ),
    ],
  },
  // Registered results out of scope.
  {
    class: '4 registered',
    name: 'always reading the second task of its block',
    edits: [
      uses('block', 'command', 'debug'),
      before(
        "block('Probe the clock', [task('Read the time', command({ cmd: 'date' }), { changed_when: false, register: 'clock_date' }), task('Read the offset', command({ cmd: 'chronyc tracking' }), { changed_when: false, register: 'clock_tracking' })], { always: [task('Show the offset', debug({ msg: '{{ clock_tracking.stdout }}' }))] })",
      ),
    ],
  },
  // Values the types could know.
  {
    class: '1 values',
    name: 'a port above 65535 in a play',
    edits: [
      declare("clock_port: int({ description: 'Port', default: 123 })"),
      [T, null, 'port {{ clock_port }}\n'],
      [P, "clock.use({ clock_mode: 'server' })", "clock.use({ clock_mode: 'server', clock_port: 70000 })"],
    ],
  },
  // Secrets in the source.
  {
    class: '7 secrets',
    name: 'a literal password for a secret role variable in a play',
    edits: [
      declare("clock_key: str({ description: 'Key', secret: true, default: '' })"),
      onStart("{ when: 'clock_key | length >= 0' }"),
      [P, "clock.use({ clock_mode: 'server' })", "clock.use({ clock_mode: 'server', clock_key: 'hunter2hunter2' })"],
    ],
  },
  {
    class: '7 secrets',
    name: "a play's own task printing a secret role variable",
    edits: [
      declare("clock_key: str({ description: 'Key', secret: true, default: '' })"),
      onStart("{ when: 'clock_key | length >= 0' }"),
      [P, "import { playbook } from '../dsl/index.js';", "import { debug, playbook, task } from '../dsl/index.js';"],
      onPlay("post_tasks: [task('Show the key', debug({ msg: 'key {{ clock_key }}' }))]"),
    ],
  },
  {
    class: '7 secrets',
    name: "a play's own task passing a secret role variable to a command without no_log",
    edits: [
      declare("clock_key: str({ description: 'Key', secret: true, default: '' })"),
      onStart("{ when: 'clock_key | length >= 0' }"),
      [P, "import { playbook } from '../dsl/index.js';", "import { command, playbook, task } from '../dsl/index.js';"],
      onPlay(
        "post_tasks: [task('Load the key', command({ argv: ['chronyc', 'key', '{{ clock_key }}'] }), { changed_when: false })]",
      ),
    ],
  },
  // Round three, more of our own.
  {
    class: '9 own',
    name: 'tags on include_tasks without apply (--tags selects the include, none of its tasks)',
    edits: [
      uses('includeTasks'),
      [
        F,
        '  tasks: () => [',
        "  taskFiles: { extra: () => [task('Mark the extra step', file({ path: '/var/lib/clock/extra', state: 'touch', mode: '0644' }))] },\n  tasks: () => [",
      ],
      before("includeTasks('Run the extra steps', 'extra', { tags: ['clock_extra'] })"),
    ],
  },
  {
    class: '9 own',
    name: 'a user password given as plain text (the module sets it as the hash: no login works)',
    edits: [uses('user'), before("task('Add the clock user', user({ name: 'clock', password: 'hunter2hunter2' }))")],
  },
  {
    class: '9 own',
    name: 'a register named like a role variable (shadows it for the rest of the play)',
    edits: [onStart("{ register: 'clock_mode' }")],
  },
  {
    class: '9 own',
    name: 'copy with both src and content',
    edits: [
      uses('copy'),
      [T.replace('clock.conf.j2', '../files/motd'), null, 'hello\n'],
      before("task('Write the motd', copy({ src: 'motd', content: 'x', dest: '/etc/motd', mode: '0644' }))"),
    ],
  },
  { class: '9 own', name: 'delegate_to a group name, not a host', edits: [onStart("{ delegate_to: 'pg' }")] },
  { class: '9 own', name: 'max_fail_percentage over 100', edits: [onPlay('max_fail_percentage: 150')] },
  {
    class: '9 own',
    name: 'a file mode as the decimal number 644 (0o1204 on the host)',
    edits: [[F, "state: 'directory', mode: '0755'", "state: 'directory', mode: 644 as never"]],
  },
  {
    class: '9 own',
    name: 'import_tasks of a file named by a fact (imports are read before any fact exists)',
    edits: [
      uses('importTasks'),
      [
        F,
        '  tasks: () => [',
        "  taskFiles: { Debian: () => [task('Mark Debian', file({ path: '/var/lib/clock/debian', state: 'touch', mode: '0644' }))] },\n  tasks: () => [",
      ],
      before("importTasks('Run the family steps', '{{ ansible_facts.os_family }}')"),
    ],
  },
  {
    class: '9 own',
    name: 'a loop over a dict variable (loop wants a list: dict2items)',
    edits: [
      [F, 'file, handler,', 'dict, file, handler,'],
      declare("clock_options: dict({ default: { a: '1' }, description: 'Options' })"),
      onStart("{ loop: '{{ clock_options }}' }"),
    ],
  },
  {
    class: '9 own',
    name: 'until reading a result the task never registers',
    edits: [onStart("{ until: 'clock_started is succeeded', retries: 3, delay: 1 }")],
  },
  // Names the command line cannot select.
  { class: '8 names', name: 'a task tag with a space', edits: [onStart("{ tags: ['clock start'] }")] },
  { class: '8 names', name: 'a play tag with a comma', edits: [onPlay("tags: ['clock,ntp']")] },
];
