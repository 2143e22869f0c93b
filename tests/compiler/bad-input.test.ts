// Bad input: each a clear build error naming the source file and field, with out/ unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, edit, readTree, scratchProject } from '../helpers/project.js';

let good: Map<string, Buffer>;
let base: string;

beforeAll(async () => {
  base = scratchProject();
  expect((await compile(base)).code).toBe(0);
  good = readTree(path.join(base, 'out'));
});

/** Applies a bad edit to a copy of the project that already has a good out/, then builds. */
async function buildBroken(change: (dir: string) => void) {
  const dir = scratchProject();
  fs.cpSync(path.join(base, 'out'), path.join(dir, 'out'), { recursive: true });
  change(dir);
  const r = await compile(dir);
  const after = readTree(path.join(dir, 'out'));
  // Messages carry file:line:col; most assertions here are about the rest, `located` keeps them.
  const stderr = r.stderr.replace(/(\.(?:ts|j2)):\d+:\d+:/g, '$1:');
  return { ...r, stderr, located: r.stderr, dir, outUnchanged: after.size === good.size && [...good].every(([k, v]) => after.get(k)?.equals(v)) };
}

/** The source line a `file:line:col: field` message points at. */
function lineAt(r: { located: string; dir: string }, file: string, field: string): string {
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${esc(file)}:(\\d+):\\d+: ${esc(field)}`).exec(r.located);
  if (!m) throw new Error(`no position for ${file}: ${field} in:\n${r.located}`);
  return fs.readFileSync(path.join(r.dir, file), 'utf8').split('\n')[Number(m[1]) - 1]!;
}

const NTP = 'roles-src/ntp/role.ts';

describe('bad input', () => {
  it('wrong type for a module argument (TypeScript)', async () => {
    const r = await buildBroken((d) => { edit(d, NTP, 'cache_valid_time: 3600', "cache_valid_time: 'an hour'"); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/ntp\/role\.ts:\d+:\d+ field '[^']*cache_valid_time'/);
    expect(r.stderr).toContain("not assignable to type 'Val<number>");
    expect(r.outUnchanged).toBe(true);
  });

  it('wrong type for a module argument that bypasses the types (compiler check)', async () => {
    const r = await buildBroken((d) => { edit(d, NTP, 'cache_valid_time: 3600', "cache_valid_time: 'an hour' as never"); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("roles-src/ntp/role.ts: tasks[0] 'Install chrony'.ansible.builtin.apt.cache_valid_time: expected an integer, got a string (\"an hour\")");
    expect(r.outUnchanged).toBe(true);
  });

  it('missing required argument', async () => {
    // file's `path` may also be given as `dest` or `name`, so the compiler (not the types) checks it.
    const r = await buildBroken((d) => { edit(d, 'roles-src/patroni/role.ts', "file({ path: '/etc/patroni', state: 'directory'", "file({ state: 'directory'"); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/patroni\/role\.ts: tasks\[\d+\] 'Create the Patroni configuration folder'\.ansible\.builtin\.file\.path: missing required argument \(or its alias dest, name\)/);
    expect(r.outUnchanged).toBe(true);
  });

  it('missing required argument (TypeScript)', async () => {
    const r = await buildBroken((d) => { edit(d, NTP, "template({ src: 'chrony.conf.j2', dest: '/etc/chrony/chrony.conf',", 'template({'); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/ntp\/role\.ts:\d+:\d+ .*missing the following properties from type 'TemplateArgs': dest, src/s);
    expect(r.outUnchanged).toBe(true);
  });

  it('value outside choices', async () => {
    const r = await buildBroken((d) => { edit(d, NTP, "state: 'started', enabled: true", "state: 'running', enabled: true"); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/ntp\/role\.ts:\d+:\d+ field '[^']*state'.*"running"/s);
    expect(r.stderr).toContain('"reloaded" | "restarted" | "started" | "stopped"');
    expect(r.outUnchanged).toBe(true);
  });

  it('role variable outside its choices in a playbook', async () => {
    const r = await buildBroken((d) => { edit(d, 'playbooks/site.ts', "ntp.use({ ntp_mode: 'server' })", "ntp.use({ ntp_mode: 'master' })"); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/playbooks\/site\.ts:\d+:\d+ field '[^']*ntp_mode'.*"master"/s);
    expect(r.outUnchanged).toBe(true);
  });

  it('reference to an undeclared variable: typed reference', async () => {
    const r = await buildBroken((d) => {
      edit(d, NTP, 'tasks: () => [', 'tasks: (v) => [');
      edit(d, NTP, "dest: '/etc/chrony/chrony.conf'", 'dest: `${v.ntp_config_path}`');
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/ntp\/role\.ts:\d+:\d+ .*Property 'ntp_config_path' does not exist/);
    expect(r.outUnchanged).toBe(true);
  });

  it('reference to an undeclared variable: Jinja in a task', async () => {
    const r = await buildBroken((d) => { edit(d, NTP, "dest: '/etc/chrony/chrony.conf'", "dest: '{{ ntp_config_dir }}/chrony.conf'"); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("roles-src/ntp/role.ts: tasks[1] 'Configure chrony'.ansible.builtin.template.dest: reads undeclared variable 'ntp_config_dir'");
    expect(r.outUnchanged).toBe(true);
  });

  it('reference to an undeclared variable: Jinja in a template', async () => {
    const r = await buildBroken((d) => { fs.appendFileSync(path.join(d, 'roles-src/ntp/templates/chrony.conf.j2'), 'maxupdateskew {{ ntp_max_skew }}\n'); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("roles-src/ntp/templates/chrony.conf.j2: ntp_max_skew: reads undeclared variable 'ntp_max_skew'");
    expect(r.outUnchanged).toBe(true);
  });

  it('TypeScript syntax error', async () => {
    const r = await buildBroken((d) => { edit(d, NTP, "name: 'ntp',", "name: 'ntp',,"); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/ntp\/role\.ts:\d+:\d+ .*(expected|Property assignment)/);
    expect(r.stderr).toContain('out/ was not changed');
    expect(r.outUnchanged).toBe(true);
  });

  it('task notifying a handler that does not exist', async () => {
    const r = await buildBroken((d) => { edit(d, NTP, "notify: ['Restart chrony']", "notify: ['Restart chronyd']"); });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("roles-src/ntp/role.ts: tasks[1] 'Configure chrony'.notify: notifies handler 'Restart chronyd', which is not defined (handlers: Restart chrony)");
    expect(r.outUnchanged).toBe(true);
  });

  it('is caught after a clean cached build too (the up-to-date check sees the change)', async () => {
    const dir = scratchProject();
    expect((await compile(dir)).code).toBe(0);
    expect((await compile(dir)).code).toBe(0); // served by the up-to-date check
    edit(dir, NTP, 'cache_valid_time: 3600', "cache_valid_time: 'an hour'");
    const r = await compile(dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/ntp\/role\.ts:\d+:\d+ field '[^']*cache_valid_time'/);
  });
  it('misspelt task, play and role-use keys passed through a variable (no excess-property check)', async () => {
    const r = await buildBroken((d) => {
      edit(d, NTP, "task('Install chrony', apt({ name: ['chrony'], state: 'present', update_cache: true, cache_valid_time: 3600 })),",
        "task('Install chrony', apt({ name: ['chrony'], state: 'present', update_cache: true, cache_valid_time: 3600 }), taskOpts),");
      edit(d, NTP, 'export default defineRole', "const taskOpts = { become: true, whenn: 'ansible_os_family == \"Debian\"', becom: true };\nexport default defineRole");
      edit(d, 'playbooks/site.ts', "const common = { become: true, any_errors_fatal: true } as const;", 'const common = { become: true, any_errors_fatal: true, gather_fact: false } as const;');
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("roles-src/ntp/role.ts: tasks[0] 'Install chrony'.whenn: unknown task key 'whenn'; did you mean 'when'?");
    expect(r.stderr).toContain("tasks[0] 'Install chrony'.becom: unknown task key 'becom'; did you mean 'become'?");
    expect(r.stderr).toMatch(/playbooks\/site\.ts: plays\[1\] 'Time server'\.gather_fact: unknown play key 'gather_fact'; did you mean 'gather_facts'\?/);
    expect(r.outUnchanged).toBe(true);
  });
  it('mistakes Ansible accepts silently or only fails on a host, all in one report', async () => {
    const r = await buildBroken((d) => {
      edit(d, NTP, "handler('Restart chrony', systemd_service({ name: 'chrony', state: 'restarted' })),",
        "handler('Restart chrony', systemd_service({ name: 'chrony', state: 'restarted' })),\n    handler('Restart chrony', systemd_service({ name: 'chrony', state: 'reloaded' })),");
      edit(d, NTP, "owner: 'root', group: 'root', mode: '0644' }), {", "owner: 'root', group: 'root', mode: '0999' }), { register: 'environment', when: \"{{ ntp_mode }} == 'server'\",");
      edit(d, NTP, "task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true })),\n    task('Start chrony', file({ path: '/tmp/x', state: 'touch', mode: 755 as never })),\n    block('Nothing', []),");
      edit(d, NTP, "default: '{{ stand_subnet }}'", "default: '{{ stand_subnett }}'");
      edit(d, NTP, 'import { apt,', 'import { block, file, apt,');
      edit(d, 'playbooks/site.ts', "{ name: 'Time clients', hosts: 'pg',", "{ name: 'Time clients', hosts: 'pgs',");
    });
    expect(r.code).not.toBe(0);
    const expected = [
      /handlers\[1\] 'Restart chrony': handler name 'Restart chrony' is used twice \(also handlers\[0\]\): Ansible runs only the first handler of a name/,
      /tasks\[1\] 'Configure chrony'\.ansible\.builtin\.template\.mode: mode '0999' is neither an octal mode/,
      /tasks\[1\] 'Configure chrony'\.register: 'environment' is a name Ansible reserves/,
      /tasks\[1\] 'Configure chrony'\.when: a condition is a bare Jinja expression, not a template/,
      /tasks\[3\] 'Start chrony': task name 'Start chrony' is used twice in this list \(also tasks\[2\]\)/,
      /tasks\[3\] 'Start chrony'\.ansible\.builtin\.file\.mode: mode 755 is a number: YAML reads it as decimal \(755 = 0o1363\); write the octal string '0755'/,
      /tasks\[4\] 'Nothing'\.block: an empty block/,
      /vars\.ntp_allow\.default: reads undeclared variable 'stand_subnett'/,
      /playbooks\/site\.ts: plays\[2\] 'Time clients'\.hosts: hosts names 'pgs', which no inventory defines; did you mean 'pg'\?/,
    ];
    for (const e of expected) expect(r.stderr).toMatch(e);
    // Each message points at its line, so an editor jumps there.
    expect(lineAt(r, NTP, "tasks[1] 'Configure chrony'.ansible.builtin.template.mode")).toContain("mode: '0999'");
    expect(lineAt(r, NTP, 'vars.ntp_allow.default')).toContain('ntp_allow: str(');
    expect(lineAt(r, 'playbooks/site.ts', "plays[2] 'Time clients'.hosts")).toContain("hosts: 'pgs'");
    expect(r.outUnchanged).toBe(true);
  });
  it('Jinja syntax errors in task strings, conditions and templates, parsed by Jinja itself, each reported once', async () => {
    const r = await buildBroken((d) => {
      edit(d, NTP, "dest: '/etc/chrony/chrony.conf',", "dest: '/etc/chrony/{{ ntp_mode }',");
      edit(d, NTP, "task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { when: \"ntp_mode = 'server'\" }),");
      fs.appendFileSync(path.join(d, 'roles-src/ntp/templates/chrony.conf.j2'), '{% if ntp_mode == "server" %}\nlocal stratum 10\n');
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/ntp\/role\.ts: tasks\[1\] 'Configure chrony'\.ansible\.builtin\.template\.dest: Jinja syntax error: unexpected '}'/);
    expect(r.stderr).toMatch(/roles-src\/ntp\/role\.ts: tasks\[2\] 'Start chrony'\.when: Jinja syntax error in the condition "ntp_mode = 'server'"/);
    expect(r.stderr).toMatch(/roles-src\/ntp\/templates\/chrony\.conf\.j2: template: Jinja syntax error \(line \d+ of the text\): Unexpected end of template\. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'/);
    expect(r.stderr.match(/Jinja syntax error in the condition/g)).toHaveLength(1);
    expect(r.outUnchanged).toBe(true);
  });
  it('a registered result read before its task, and a loop variable read outside its loop', async () => {
    const r = await buildBroken((d) => {
      edit(d, NTP, "task('Install chrony', apt({ name: ['chrony'], state: 'present', update_cache: true, cache_valid_time: 3600 })),",
        "task('Show the result early', debug({ msg: '{{ ntp_started.changed }}' })),\n"
        + "    task('Install chrony', apt({ name: ['chrony'], state: 'present', update_cache: true, cache_valid_time: 3600 }), { loop: ['a'], loop_control: { loop_var: 'pkg' } }),\n"
        + "    task('Show the package', debug({ msg: '{{ pkg }} {{ item }}' })),");
      edit(d, NTP, "task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { register: 'ntp_started' }),\n"
        + "    task('Show the result after', debug({ msg: '{{ ntp_started.changed }}' })),");
      edit(d, NTP, 'import { apt,', 'import { debug, apt,');
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/tasks\[0\] 'Show the result early'\.ansible\.builtin\.debug\.msg: reads undeclared variable 'ntp_started'/);
    expect(r.stderr).toMatch(/tasks\[2\] 'Show the package'\.ansible\.builtin\.debug\.msg: reads undeclared variable 'pkg'/);
    expect(r.stderr).toMatch(/tasks\[2\] 'Show the package'\.ansible\.builtin\.debug\.msg: reads undeclared variable 'item'/);
    expect(r.stderr).not.toMatch(/Show the result after/);
    // Braces meant for the target get a pointer to the way to write them.
    expect(r.stderr).toContain('keep Ansible off them with {% raw %}...{% endraw %}');
    expect(r.outUnchanged).toBe(true);
  });
  it('list variables take any element of their type (lists of dicts too), boolean keywords take Jinja; a default outside str choices is a type error', async () => {
    const good = await buildBroken((d) => {
      edit(d, NTP, "ntp_local_stratum: int(", "ntp_peers: list({ elements: 'dict', default: [{ address: '10.213.50.10', iburst: true }], description: 'Peers as mappings' }),\n    ntp_local_stratum: int(");
      edit(d, 'playbooks/site.ts', "roles: [ntp.use({ ntp_mode: 'client' })]", "roles: [ntp.use({ ntp_mode: 'client', ntp_servers: ['10.213.50.10', 'ns.pgha.test'], ntp_peers: [{ address: 'x', port: 123 }] })]");
      // Jinja in boolean keywords needs no cast.
      edit(d, NTP, "task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true })),",
        "task('Start chrony', systemd_service({ name: 'chrony', state: 'started', enabled: true }), { ignore_errors: '{{ ansible_check_mode }}', no_log: '{{ ntp_mode == \"server\" }}' }),");
    });
    expect(good.code, good.stderr).toBe(0);
    const bad = await buildBroken((d) => { edit(d, NTP, "ntp_allow: str({ default: '{{ stand_subnet }}',", "ntp_allow: str({ choices: ['a', 'b'], default: 'c',"); });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/roles-src\/ntp\/role\.ts:\d+:\d+ .*Type '"c"' is not assignable to type '"a" \| "b"( \| undefined)?'/);
  });
});
