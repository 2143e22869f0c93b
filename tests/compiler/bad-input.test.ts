// Bad input: each a clear build error naming the source file and field, with out/ unchanged.
// Each case breaks a copy of a small fixture role and playbook (tests/fixtures/bad-input), not
// the product's own roles, so those stay free to change and to be reformatted.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, edit, readTree, ROOT, scratchProject } from '../helpers/project.js';

const FIXTURE = path.join(ROOT, 'tests/fixtures/bad-input');
const F = 'roles-src/clock/role.ts';
const P = 'playbooks/clock.ts';

/** A scratch project with the fixture role and playbook beside the product's. */
function fixtureProject(): string {
  const dir = scratchProject();
  for (const rel of ['roles-src/clock', P])
    fs.cpSync(path.join(FIXTURE, rel), path.join(dir, rel), { recursive: true });
  return dir;
}

let good: Map<string, Buffer>;
let base: string;

beforeAll(async () => {
  base = fixtureProject();
  expect((await compile(base)).code).toBe(0);
  good = readTree(path.join(base, 'out'));
});

/** Applies a bad edit to a copy of the project that already has a good out/, then builds. */
async function buildBroken(change: (dir: string) => void) {
  const dir = fixtureProject();
  fs.cpSync(path.join(base, 'out'), path.join(dir, 'out'), { recursive: true });
  change(dir);
  const r = await compile(dir);
  const after = readTree(path.join(dir, 'out'));
  // Messages carry file:line:col; most assertions here are about the rest, `located` keeps them.
  const stderr = r.stderr.replace(/(\.(?:ts|j2)):\d+:\d+:/g, '$1:');
  return {
    ...r,
    stderr,
    located: r.stderr,
    dir,
    outUnchanged: after.size === good.size && [...good].every(([k, v]) => after.get(k)?.equals(v)),
  };
}

/** Declares the secret role variable `clock_key` in the fixture role. */
function declareSecretKey(dir: string): void {
  edit(
    dir,
    F,
    'clock_network: str({',
    "clock_key: str({ default: '', secret: true, description: 'A key' }),\n    clock_network: str({",
  );
}

/** The source line a `file:line:col: field` message points at. */
function lineAt(r: { located: string; dir: string }, file: string, field: string): string {
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${esc(file)}:(\\d+):\\d+: ${esc(field)}`).exec(r.located);
  if (!m) throw new Error(`no position for ${file}: ${field} in:\n${r.located}`);
  return fs.readFileSync(path.join(r.dir, file), 'utf8').split('\n')[Number(m[1]) - 1]!;
}

describe('bad input', () => {
  it('wrong type for a module argument (TypeScript)', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, 'cache_valid_time: 3600', "cache_valid_time: 'an hour'");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/clock\/role\.ts: [^\n]*cache_valid_time:/);
    expect(r.stderr).toContain("not assignable to type 'Val<number>");
    expect(r.outUnchanged).toBe(true);
  });

  it('wrong type for a module argument that bypasses the types (compiler check)', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, 'cache_valid_time: 3600', "cache_valid_time: 'an hour' as never");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'roles-src/clock/role.ts: tasks[0] \'Install clock\'.ansible.builtin.apt.cache_valid_time: expected an integer, got a string ("an hour")',
    );
    expect(r.outUnchanged).toBe(true);
  });

  it('missing required argument', async () => {
    // file's `path` may also be given as `dest` or `name`, so the compiler (not the types) checks it.
    const r = await buildBroken((d) => {
      edit(d, F, "file({ path: '/var/lib/clock', state: 'directory'", "file({ state: 'directory'");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      "roles-src/clock/role.ts: tasks[3] 'Create the state folder'.ansible.builtin.file.path: missing required argument (or its alias dest, name)",
    );
    expect(r.outUnchanged).toBe(true);
  });

  it('missing required argument (TypeScript)', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, "template({ src: 'clock.conf.j2', dest: '/etc/clock/clock.conf',", 'template({');
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /roles-src\/clock\/role\.ts: .*missing the following properties from type 'TemplateArgs': dest, src/s,
    );
    expect(r.outUnchanged).toBe(true);
  });

  it('value outside choices', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, "state: 'started', enabled: true", "state: 'running', enabled: true");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/clock\/role\.ts: [^\n]*state:.*"running"/s);
    expect(r.stderr).toContain('"reloaded" | "restarted" | "started" | "stopped"');
    expect(r.outUnchanged).toBe(true);
  });

  it('role variable outside its choices in a playbook', async () => {
    const r = await buildBroken((d) => {
      edit(d, P, "clock.use({ clock_mode: 'server' })", "clock.use({ clock_mode: 'master' })");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/playbooks\/clock\.ts: [^\n]*clock_mode:.*"master"/s);
    expect(r.outUnchanged).toBe(true);
  });

  it('reference to an undeclared variable: typed reference', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, 'tasks: () => [', 'tasks: (v) => [');
      edit(d, F, "dest: '/etc/clock/clock.conf'", 'dest: `${v.clock_config_path}`');
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/clock\/role\.ts: .*Property 'clock_config_path' does not exist/);
    expect(r.outUnchanged).toBe(true);
  });

  it('reference to an undeclared variable: Jinja in a task', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, "dest: '/etc/clock/clock.conf'", "dest: '{{ clock_config_dir }}/clock.conf'");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      "roles-src/clock/role.ts: tasks[1] 'Configure clock'.ansible.builtin.template.dest: reads undeclared variable 'clock_config_dir'",
    );
    expect(r.outUnchanged).toBe(true);
  });

  it('reference to an undeclared variable: Jinja in a template', async () => {
    const r = await buildBroken((d) => {
      fs.appendFileSync(
        path.join(d, 'roles-src/clock/templates/clock.conf.j2'),
        'maxupdateskew {{ clock_max_skew }}\n',
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      "roles-src/clock/templates/clock.conf.j2: clock_max_skew: reads undeclared variable 'clock_max_skew'",
    );
    expect(r.outUnchanged).toBe(true);
  });

  it('a secret rendered by a template without diff: false, or passed to a module without no_log', async () => {
    const r = await buildBroken((d) => {
      declareSecretKey(d);
      fs.appendFileSync(path.join(d, 'roles-src/clock/templates/clock.conf.j2'), 'key {{ clock_key }}\n');
      edit(
        d,
        F,
        "file({ path: '/var/lib/clock', state: 'directory', mode: '0755' })",
        "file({ path: '/var/lib/clock/{{ clock_key }}', state: 'directory', mode: '0755' })",
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.outUnchanged).toBe(true);
    expect(r.stderr).toContain(
      "tasks[1] 'Configure clock'.diff: renders secret variable clock_key from templates/clock.conf.j2, which --diff would print; set diff: false",
    );
    expect(r.stderr).toContain(
      "tasks[3] 'Create the state folder'.no_log: passes secret variable clock_key to ansible.builtin.file",
    );
    expect(lineAt(r, F, "tasks[1] 'Configure clock'.diff")).toContain("task('Configure clock'");
  });

  it("a play's own task handles the roles' secrets as their tasks must: refused without no_log, built with no_log on the play", async () => {
    const withKey = (d: string, playKeys: string) => {
      declareSecretKey(d);
      edit(d, F, 'enabled: true })),', "enabled: true }), { when: 'clock_key | length >= 0' }),");
      edit(
        d,
        P,
        "import { playbook } from '../dsl/index.js';",
        "import { debug, playbook, task } from '../dsl/index.js';",
      );
      edit(
        d,
        P,
        "{ name: 'Clock clients', hosts: 'pg',",
        `{ name: 'Clock clients', hosts: 'pg', ${playKeys}post_tasks: [task('Show the key', debug({ msg: 'key {{ clock_key }}' }))],`,
      );
    };
    const r = await buildBroken((d) => {
      withKey(d, '');
    });
    expect(r.code).not.toBe(0);
    expect(r.outUnchanged).toBe(true);
    expect(r.stderr).toContain(
      "playbooks/clock.ts: plays[1] 'Clock clients'.post_tasks[0] 'Show the key'.no_log: passes secret variable clock_key to ansible.builtin.debug",
    );
    expect(lineAt(r, P, "plays[1] 'Clock clients'.post_tasks[0] 'Show the key'.no_log")).toContain(
      "name: 'Clock clients'",
    );
    // The play's no_log covers its tasks, as Ansible's keyword inheritance gives it to them.
    const ok = fixtureProject();
    withKey(ok, 'no_log: true, ');
    const built = await compile(ok);
    expect(built.code, built.stderr).toBe(0);
  });

  it('tags on include_tasks that reach none of its tasks, and an import_tasks named by a fact; apply: { tags } and include_tasks build', async () => {
    const withIncludes = (d: string, include: string) => {
      edit(d, F, 'import { apt,', 'import { importTasks, includeTasks, apt,');
      edit(
        d,
        F,
        '  tasks: () => [',
        "  taskFiles: {\n    extra: () => [task('Mark the extra step', file({ path: '/var/lib/clock/extra', state: 'touch', mode: '0644' }))],\n    Debian: () => [task('Mark Debian', file({ path: '/var/lib/clock/debian', state: 'touch', mode: '0644' }))],\n  },\n  tasks: () => [",
      );
      edit(d, F, "    task('Create the state folder'", `    ${include},\n    task('Create the state folder'`);
    };
    const r = await buildBroken((d) => {
      withIncludes(
        d,
        "includeTasks('Run the extra steps', 'extra', { tags: ['clock_extra'] }),\n    importTasks('Run the family steps', '{{ ansible_facts.os_family }}')",
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.outUnchanged).toBe(true);
    expect(r.stderr).toContain(
      "tasks[3] 'Run the extra steps'.tags: tags on include_tasks select the include only: --tags clock_extra runs it but none of 'Mark the extra step' in tasks/extra.yml",
    );
    expect(r.stderr).toContain(
      "tasks[4] 'Run the family steps'.ansible.builtin.import_tasks.file: ansible.builtin.import_tasks is read when the play is parsed, before any host's facts or variables exist",
    );
    expect(lineAt(r, F, "tasks[3] 'Run the extra steps'.tags")).toContain("includeTasks('Run the extra steps'");
    // The same with the tags applied to the included tasks, and the family file included at run time.
    const ok = fixtureProject();
    withIncludes(
      ok,
      "includeTasks('Run the extra steps', 'extra', { tags: ['clock_extra'] }),\n    includeTasks('Run the family steps', '{{ ansible_facts.os_family }}')",
    );
    edit(ok, F, "{ tags: ['clock_extra'] }),", "{ tags: ['clock_extra'] }, { tags: ['clock_extra'] }),");
    const built = await compile(ok);
    expect(built.code, built.stderr).toBe(0);
  });

  it('an unknown Jinja filter, test or lookup plugin, in a task and in a template, with the nearest name', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, "dest: '/etc/clock/clock.conf',", "dest: '/etc/clock/{{ clock_mode | uper }}.conf',");
      edit(
        d,
        F,
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { when: 'clock_mode is definde' }),",
      );
      fs.appendFileSync(
        path.join(d, 'roles-src/clock/templates/clock.conf.j2'),
        "servers {{ clock_servers | joinn(',') }}\n# {{ lookup('pipee', 'date') }}\n",
      );
      edit(
        d,
        F,
        "file({ path: '/var/lib/clock', state: 'directory', mode: '0755' })),",
        "file({ path: '/var/lib/clock/{{ item }}', state: 'directory', mode: '0755' }), { with: { lookup: 'fileglobb', terms: '/x/*' } }),",
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.outUnchanged).toBe(true);
    expect(r.stderr).toContain("unknown Jinja filter 'uper' (did you mean 'upper'?): Ansible would fail on the host");
    expect(r.stderr).toContain("unknown Jinja test 'definde' (did you mean 'defined'?)");
    expect(r.stderr).toContain("unknown Jinja filter 'joinn' (did you mean 'join'?)");
    expect(r.stderr).toContain("unknown lookup plugin 'pipee' (did you mean 'pipe'?)");
    expect(r.stderr).toContain("tasks[3] 'Create the state folder'.with.lookup: unknown lookup plugin 'fileglobb'");
    expect(lineAt(r, F, "tasks[3] 'Create the state folder'.with.lookup")).toContain("lookup: 'fileglobb'");
  });

  it("groups['x'] or hostvars['x'] naming what no inventory defines, unless guarded by default", async () => {
    const r = await buildBroken((d) => {
      fs.appendFileSync(
        path.join(d, 'roles-src/clock/templates/clock.conf.j2'),
        "{% for h in groups['pgg'] %}{{ hostvars['pg09'].ansible_host }} {{ groups.etcdd | default([]) }}{% endfor %}\n",
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("groups['pgg'] names a group no inventory defines");
    expect(r.stderr).toContain("hostvars['pg09'] names a host no inventory defines");
    expect(r.stderr).not.toContain('etcdd');
  });

  it('TypeScript syntax error', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, "name: 'clock',", "name: 'clock',,");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/clock\/role\.ts: .*(expected|Property assignment)/);
    expect(r.stderr).toContain('out/ was not changed');
    expect(r.outUnchanged).toBe(true);
  });

  it('task notifying a handler that does not exist', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, "notify: ['Restart clock']", "notify: ['Restart clockd']");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      "roles-src/clock/role.ts: tasks[1] 'Configure clock'.notify: notifies handler 'Restart clockd', which is not defined (handlers: Restart clock)",
    );
    expect(r.outUnchanged).toBe(true);
  });

  it('is caught after a clean cached build too (the up-to-date check sees the change)', async () => {
    const dir = fixtureProject();
    expect((await compile(dir)).code).toBe(0);
    expect((await compile(dir)).code).toBe(0); // served by the up-to-date check
    edit(dir, F, 'cache_valid_time: 3600', "cache_valid_time: 'an hour'");
    const r = await compile(dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/clock\/role\.ts:\d+:\d+: [^\n]*cache_valid_time:/);
  });

  it('after a failed build and the change taken back, builds from the sources again, not from what the failed build emitted', async () => {
    // The sources are emitted beside the type check: a build that fails it leaves their
    // JavaScript in .build/js, which the up-to-date check must not take for the clean sources'.
    const dir = fixtureProject();
    expect((await compile(dir)).code).toBe(0);
    const cached = readTree(path.join(dir, 'out'));
    edit(dir, F, 'cache_valid_time: 3600', "cache_valid_time: 'an hour'");
    expect((await compile(dir)).code).not.toBe(0);
    edit(dir, F, "cache_valid_time: 'an hour'", 'cache_valid_time: 3600');
    fs.rmSync(path.join(dir, 'out'), { recursive: true });
    expect((await compile(dir)).code).toBe(0);
    const after = readTree(path.join(dir, 'out'));
    expect([...cached].every(([k, v]) => after.get(k)?.equals(v))).toBe(true);
  });

  it('a type error whose code would also fail when run: the type error is what the build says', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, 'tasks: () => [', 'tasks: () => [clockTasks(),');
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/clock\/role\.ts: [^\n]*Cannot find name 'clockTasks'/);
    expect(r.stderr).not.toMatch(/ReferenceError|is not defined/);
    expect(r.outUnchanged).toBe(true);
  });

  it('a type re-exported without `export type` (each file is emitted on its own): a type error, not a missing export', async () => {
    const r = await buildBroken((d) => {
      fs.appendFileSync(path.join(d, F), "export { Role } from '../../dsl/role.js';\n");
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/clock\/role\.ts: [^\n]*export type/);
    expect(r.stderr).not.toMatch(/does not provide an export named/);
    expect(r.outUnchanged).toBe(true);
  });

  it('misspelt task, play and role-use keys passed through a variable (no excess-property check)', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, 'cache_valid_time: 3600 })),', 'cache_valid_time: 3600 }), taskOpts),');
      edit(
        d,
        F,
        'export default defineRole',
        'const taskOpts = { become: true, whenn: \'ansible_os_family == "Debian"\', becom: true };\nexport default defineRole',
      );
      edit(
        d,
        P,
        'const common = { become: true, any_errors_fatal: true } as const;',
        'const common = { become: true, any_errors_fatal: true, gather_fact: false } as const;',
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      "roles-src/clock/role.ts: tasks[0] 'Install clock'.whenn: unknown task key 'whenn'; did you mean 'when'?",
    );
    expect(r.stderr).toContain("tasks[0] 'Install clock'.becom: unknown task key 'becom'; did you mean 'become'?");
    expect(r.stderr).toMatch(
      /playbooks\/clock\.ts: plays\[0\] 'Clock server'\.gather_fact: unknown play key 'gather_fact'; did you mean 'gather_facts'\?/,
    );
    expect(r.outUnchanged).toBe(true);
  });

  it('mistakes Ansible accepts silently or only fails on a host, all in one report', async () => {
    const r = await buildBroken((d) => {
      edit(
        d,
        F,
        "handler('Restart clock', systemd_service({ name: 'chrony', state: 'restarted' })),",
        "handler('Restart clock', systemd_service({ name: 'chrony', state: 'restarted' })),\n    handler('Restart clock', systemd_service({ name: 'chrony', state: 'reloaded' })),",
      );
      edit(
        d,
        F,
        "owner: 'root', group: 'root', mode: '0644' }), {",
        "owner: 'root', group: 'root', mode: '0999' }), { register: 'environment', when: \"{{ clock_mode }} == 'server'\",",
      );
      edit(
        d,
        F,
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),\n    task('Start clock', file({ path: '/tmp/x', state: 'touch', mode: 755 as never })),\n    block('Nothing', []),",
      );
      edit(d, F, "default: '{{ clock_network }}'", "default: '{{ clock_networkk }}'");
      edit(d, F, 'import { apt,', 'import { block, apt,');
      edit(d, P, "{ name: 'Clock clients', hosts: 'pg',", "{ name: 'Clock clients', hosts: 'pgs',");
    });
    expect(r.code).not.toBe(0);
    const expected = [
      /handlers\[1\] 'Restart clock': handler name 'Restart clock' is used twice \(also handlers\[0\]\): Ansible runs only the first handler of a name/,
      /tasks\[1\] 'Configure clock'\.ansible\.builtin\.template\.mode: mode '0999' is neither an octal mode/,
      /tasks\[1\] 'Configure clock'\.register: 'environment' is a name Ansible reserves/,
      /tasks\[1\] 'Configure clock'\.when: a condition is a bare Jinja expression, not a template/,
      /tasks\[3\] 'Start clock': task name 'Start clock' is used twice in this list \(also tasks\[2\]\)/,
      /tasks\[3\] 'Start clock'\.ansible\.builtin\.file\.mode: mode 755 is a number: YAML reads it as decimal \(755 = 0o1363\); write the octal string '0755'/,
      /tasks\[4\] 'Nothing'\.block: an empty block/,
      /vars\.clock_allow\.default: reads undeclared variable 'clock_networkk'/,
      /playbooks\/clock\.ts: plays\[1\] 'Clock clients'\.hosts: hosts names 'pgs', which no inventory defines; did you mean 'pg'\?/,
    ];
    for (const e of expected) expect(r.stderr).toMatch(e);
    // Each message points at its line, so an editor jumps there.
    expect(lineAt(r, F, "tasks[1] 'Configure clock'.ansible.builtin.template.mode")).toContain("mode: '0999'");
    expect(lineAt(r, F, 'vars.clock_allow.default')).toContain('clock_allow: str(');
    expect(lineAt(r, P, "plays[1] 'Clock clients'.hosts")).toContain("hosts: 'pgs'");
    expect(r.outUnchanged).toBe(true);
  });

  it('a registered attribute the module never returns, a template include that is not there, item without a loop, a missing vars file, a role use condition on an undeclared variable', async () => {
    const r = await buildBroken((d) => {
      edit(
        d,
        F,
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { register: 'clock_started' }),\n    task('Show clock', file({ path: '/var/lib/clock/state', state: 'touch', mode: '0644' }), { when: \"clock_started.state == 'started' and clock_started.status.ActiveState == 'active'\" }),",
      );
      fs.appendFileSync(
        path.join(d, 'roles-src/clock/templates/clock.conf.j2'),
        "{% include 'clock-extra.conf.j2' %}\nserver {{ item }}\n",
      );
      edit(
        d,
        P,
        "{ name: 'Clock server', hosts: 'infra',",
        "{ name: 'Clock server', hosts: 'infra', vars_files: [{ path: '../playbooks/vars/clock.yml', provides: [] }],",
      );
      edit(
        d,
        P,
        "clock.use({ clock_mode: 'client' })",
        "clock.use({ clock_mode: 'client' }, { when: 'clock_enabled and clock_mode == \"client\"' })",
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /tasks\[3\] 'Show clock'\.when: 'clock_started\.state': a result of ansible\.builtin\.systemd_service has no 'state'; did you mean 'status'\?/,
    );
    expect(r.stderr).not.toMatch(/'clock_started\.status'/);
    expect(r.stderr).toMatch(
      /templates\/clock\.conf\.j2: clock-extra\.conf\.j2: includes 'clock-extra\.conf\.j2', which is not in templates\//,
    );
    expect(r.stderr).toMatch(
      /tasks\[1\] 'Configure clock'\.ansible\.builtin\.template\.src: templates\/clock\.conf\.j2 reads 'item', but this task has no loop/,
    );
    expect(r.stderr).toMatch(
      /playbooks\/clock\.ts(:\d+:\d+)?: plays\[0\] 'Clock server'\.vars_files\[0\]: '\.\.\/playbooks\/vars\/clock\.yml' does not exist/,
    );
    expect(r.stderr).toMatch(
      /plays\[1\] 'Clock clients'\.roles\[0\] 'clock'\.when: reads undeclared variable 'clock_enabled'/,
    );
    expect(r.stderr).not.toMatch(/undeclared variable 'clock_mode'/);
    expect(lineAt(r, F, "tasks[3] 'Show clock'.when")).toContain("task('Show clock'");
    expect(r.outUnchanged).toBe(true);
  });

  it('Jinja syntax errors in task strings, conditions and templates, parsed by Jinja itself, each reported once', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, "dest: '/etc/clock/clock.conf',", "dest: '/etc/clock/{{ clock_mode }',");
      edit(
        d,
        F,
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { when: \"clock_mode = 'server'\" }),",
      );
      fs.appendFileSync(
        path.join(d, 'roles-src/clock/templates/clock.conf.j2'),
        '{% if clock_mode == "server" %}\nlocal stratum 10\n',
      );
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /roles-src\/clock\/role\.ts: tasks\[1\] 'Configure clock'\.ansible\.builtin\.template\.dest: Jinja syntax error: unexpected '}'/,
    );
    expect(r.stderr).toMatch(
      /roles-src\/clock\/role\.ts: tasks\[2\] 'Start clock'\.when: Jinja syntax error in the condition "clock_mode = 'server'"/,
    );
    expect(r.stderr).toMatch(
      /roles-src\/clock\/templates\/clock\.conf\.j2: template: Jinja syntax error \(line \d+ of the text\): Unexpected end of template\. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'/,
    );
    expect(r.stderr.match(/Jinja syntax error in the condition/g)).toHaveLength(1);
    expect(r.outUnchanged).toBe(true);
  });

  it('a registered result read before its task, and a loop variable read outside its loop', async () => {
    const r = await buildBroken((d) => {
      edit(
        d,
        F,
        "task('Install clock', apt({ name: ['chrony'], state: 'present', update_cache: true, cache_valid_time: 3600 })),",
        "task('Show the result early', debug({ msg: '{{ clock_started.changed }}' })),\n" +
          "    task('Install clock', apt({ name: ['chrony'], state: 'present', update_cache: true, cache_valid_time: 3600 }), { loop: ['a'], loop_control: { loop_var: 'pkg' } }),\n" +
          "    task('Show the package', debug({ msg: '{{ pkg }} {{ item }}' })),",
      );
      edit(
        d,
        F,
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { register: 'clock_started' }),\n" +
          "    task('Show the result after', debug({ msg: '{{ clock_started.changed }}' })),",
      );
      edit(d, F, 'import { apt,', 'import { debug, apt,');
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /tasks\[0\] 'Show the result early'\.ansible\.builtin\.debug\.msg: reads undeclared variable 'clock_started'/,
    );
    expect(r.stderr).toMatch(
      /tasks\[2\] 'Show the package'\.ansible\.builtin\.debug\.msg: reads undeclared variable 'pkg'/,
    );
    expect(r.stderr).toMatch(
      /tasks\[2\] 'Show the package'\.ansible\.builtin\.debug\.msg: reads undeclared variable 'item'/,
    );
    expect(r.stderr).not.toMatch(/Show the result after/);
    // Braces meant for the target get a pointer to the way to write them.
    expect(r.stderr).toContain('keep Ansible off them with {% raw %}...{% endraw %}');
    expect(r.outUnchanged).toBe(true);
  });

  it('round two: facts a play never gathers, a comparison never true, a template before its register, a dict key typo, a required variable left out', async () => {
    const r = await buildBroken((d) => {
      edit(d, F, 'import { apt,', 'import { cond, apt,');
      edit(d, F, 'tasks: () =>', 'tasks: (v) =>');
      edit(
        d,
        F,
        '    clock_local_stratum:',
        "    clock_peers: list({ elements: 'dict', options: { host: str({ required: true, description: 'Peer' }) }, default: [], description: 'Peers' }),\n" +
          "    clock_key: str({ required: true, description: 'Key' }),\n    clock_local_stratum:",
      );
      edit(
        d,
        F,
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { register: 'clock_started', when: cond`${v.clock_local_stratum} == '10'` }),",
      );
      fs.appendFileSync(
        path.join(d, 'roles-src/clock/templates/clock.conf.j2'),
        '# {{ clock_started.status }} on {{ ansible_facts.hostname }}\n',
      );
      edit(
        d,
        P,
        'const common = { become: true, any_errors_fatal: true } as const;',
        "const common = { become: true, any_errors_fatal: true, gather_facts: false } as const;\nconst peers = { clock_peers: [{ hots: 'a' }] } as never;",
      );
      edit(
        d,
        P,
        "clock.use({ clock_mode: 'server' })",
        "clock.use({ clock_mode: 'server', clock_key: 'k', ...(peers as object) })",
      );
    });
    expect(r.code).not.toBe(0);
    expect(lineAt(r, P, "plays[0] 'Clock server'.gather_facts")).toContain("name: 'Clock server'");
    expect(r.stderr).toMatch(/gather_facts: gathers no facts .*clock\.conf\.j2 reads 'ansible_facts'/);
    expect(lineAt(r, F, "tasks[2] 'Start clock'.when")).toContain("task('Start clock'");
    expect(r.stderr).toMatch(
      /compares 'clock_local_stratum', an int variable, with '10'.*write clock_local_stratum == 10/,
    );
    expect(lineAt(r, F, "tasks[1] 'Configure clock'.ansible.builtin.template.src")).toContain("task('Configure clock'");
    expect(r.stderr).toMatch(/reads 'clock_started', which a later task registers/);
    expect(r.stderr).toMatch(/'clock'\.vars\.clock_peers\[0\]\.hots: unknown argument; did you mean 'host'\?/);
    expect(lineAt(r, P, "plays[1] 'Clock clients'.roles[0] 'clock'")).toContain("name: 'Clock clients'");
    expect(r.stderr).toMatch(/role 'clock' requires 'clock_key' \(Key\): set it here/);
    expect(r.stderr).not.toMatch(/'Clock server'\.roles\[0\] 'clock': role 'clock' requires/);
    expect(r.outUnchanged).toBe(true);
  });

  it('round two, type check: the path names the task; a dependency cycle is called one; an empty name and a hyphen get their line', async () => {
    const ts = await buildBroken((d) => {
      edit(d, F, "state: 'started', enabled: true", "state: 'startd', enabled: true");
      fs.mkdirSync(path.join(d, 'roles-src/ring/templates'), { recursive: true });
      fs.writeFileSync(
        path.join(d, 'roles-src/ring/role.ts'),
        "import { defineRole } from '../../dsl/index.js';\nimport clock from '../clock/role.js';\n\nexport default defineRole({ name: 'ring', description: 'Ring', vars: {}, dependencies: [clock.use({})], tasks: () => [] });\n",
      );
      edit(d, F, 'import { apt,', "import ring from '../ring/role.js';\nimport { apt,");
      edit(d, F, '  handlers: () =>', '  dependencies: [ring.use({})],\n  handlers: () =>');
    });
    expect(ts.code).not.toBe(0);
    expect(ts.stderr).toMatch(/role\.ts: tasks\[2\] 'Start clock'\.state: Type '"startd"'/);
    expect(ts.stderr).toMatch(
      /its imports lead back to it \(roles-src\/clock\/role\.ts -> roles-src\/ring\/role\.ts -> roles-src\/clock\/role\.ts\)/,
    );
    expect(ts.stderr).not.toMatch(/implicitly has type 'any'/);
    const named = await buildBroken((d) => {
      edit(d, F, "task('Start clock'", "task(''");
      edit(
        d,
        F,
        '    clock_local_stratum:',
        "    'clock-key': str({ default: 'a', description: 'Key' }),\n    clock_local_stratum:",
      );
    });
    expect(lineAt(named, F, "tasks[2] ''")).toContain("task(''");
    expect(lineAt(named, F, 'vars.clock-key')).toContain("'clock-key'");
    expect(named.stderr).toMatch(/'clock-key' is not a valid variable name/);
    expect(named.stderr).not.toMatch(/must start with the role's name/);
  });

  it('list variables take any element of their type (lists of dicts too), boolean keywords take Jinja; a default outside str choices is a type error', async () => {
    const good = await buildBroken((d) => {
      edit(
        d,
        F,
        'clock_local_stratum: int(',
        "clock_peers: list({ elements: 'dict', default: [{ address: '10.0.0.2', iburst: true }], description: 'Peers as mappings' }),\n    clock_local_stratum: int(",
      );
      edit(
        d,
        P,
        "clock.use({ clock_mode: 'client' })",
        "clock.use({ clock_mode: 'client', clock_servers: ['10.0.0.1', 'ns.example.test'], clock_peers: [{ address: 'x', port: 123 }] })",
      );
      fs.appendFileSync(
        path.join(d, 'roles-src/clock/templates/clock.conf.j2'),
        '{% for p in clock_peers %}peer {{ p.address }}\n{% endfor %}\n',
      );
      // Jinja in boolean keywords needs no cast.
      edit(
        d,
        F,
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start clock', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { ignore_errors: '{{ ansible_check_mode }}', no_log: '{{ clock_mode == \"server\" }}' }),",
      );
    });
    expect(good.code, good.stderr).toBe(0);
    const bad = await buildBroken((d) => {
      edit(
        d,
        F,
        "clock_network: str({ default: '10.0.0.0/24',",
        "clock_network: str({ choices: ['a', 'b'], default: 'c',",
      );
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(
      /roles-src\/clock\/role\.ts: .*Type '"c"' is not assignable to type '"a" \| "b"( \| undefined)?'/,
    );
  });
});
