// What real roles need beyond the stand's five: role dependencies, role uses with `when` and
// `tags`, lists of mappings, background tasks (`async`/`poll`), facts a module sets
// (`service_facts`), play `strategy` and `environment`, task files, variable files per OS,
// templates in subfolders, optional variables, `noqa`, import_playbook. Compiled from a scratch
// role, checked in the emitted YAML, by Ansible's own syntax check and by ansible-lint.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, ROOT, scratchProject, venvBin } from '../helpers/project.js';

let out: string;
const read = (rel: string) => parse(fs.readFileSync(path.join(out, rel), 'utf8')) as unknown;

beforeAll(async () => {
  const dir = scratchProject();
  fs.mkdirSync(path.join(dir, 'roles-src/webcheck'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'roles-src/webcheck/role.ts'),
    `
import { command, debug, defineRole, includeTasks, includeVars, list, service_facts, str, task, template } from '../../dsl/index.js';
import ntp from '../ntp/role.js';
export default defineRole({
  name: 'webcheck',
  description: 'Fixture: what real roles need',
  dependencies: [ntp.use({ ntp_mode: 'client' }, { when: "ansible_os_family == 'Debian'", tags: ['time'] })],
  vars: {
    webcheck_sites: list({ elements: 'dict', default: [{ name: 'a', port: 80 }], description: 'Sites as mappings' }),
    webcheck_contact: str({ description: 'Optional contact address' }),
  },
  varsFiles: { Debian: { webcheck_curl: 'curl' }, main: { webcheck_conf_dir: '/etc/webcheck' } },
  taskFiles: {
    configure: () => [
      task('Write the site list', template({ src: 'conf.d/sites.conf.j2', dest: '{{ webcheck_conf_dir }}/sites.conf', mode: '0644' })),
    ],
  },
  tasks: () => [
    includeVars('Load the OS variables', "{{ ansible_facts['os_family'] }}"),
    includeTasks('Configure', 'configure', { when: 'webcheck_contact is defined' }),
    task('Read the date', command({ cmd: 'date' }), { noqa: ['no-changed-when'], comment: 'Shown in the log only.' }),
    task('Read the services', service_facts({})),
    task('Show whether chrony runs', debug({ msg: "{{ ansible_facts.services['chrony.service'].state | default('absent') }}" })),
    task('Warm the cache in the background', command({ cmd: 'sleep 1' }), { async: 30, poll: 0, register: 'webcheck_warm', changed_when: false }),
    task('Show each site', debug({ msg: '{{ item.name }}:{{ item.port }}' }), { loop: '{{ webcheck_sites }}' }),
  ],
});
`,
  );
  fs.mkdirSync(path.join(dir, 'roles-src/webcheck/templates/conf.d'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'roles-src/webcheck/templates/conf.d/sites.conf.j2'),
    '{% for s in webcheck_sites %}{{ s.name }} {{ webcheck_curl }}\n{% endfor %}',
  );
  fs.writeFileSync(
    path.join(dir, 'playbooks/webcheck-all.ts'),
    `
import { importPlaybook, playbook } from '../dsl/index.js';
import webcheck from './webcheck.js';
export default playbook({ name: 'webcheck-all', description: 'Fixture: imports', plays: [importPlaybook(webcheck, { tags: ['web'] })] });
`,
  );
  fs.writeFileSync(
    path.join(dir, 'playbooks/webcheck.ts'),
    `
import { playbook } from '../dsl/index.js';
import webcheck from '../roles-src/webcheck/role.js';
export default playbook({ name: 'webcheck', description: 'Fixture playbook', plays: [{
  name: 'Check the web', hosts: 'pg', strategy: 'free', environment: { LC_ALL: 'C.UTF-8' },
  roles: [webcheck.use({ webcheck_sites: [{ name: 'b', port: 8080, tls: true }] }, { when: "inventory_hostname != 'pg03'", tags: ['web'] })],
}] });
`,
  );
  const r = await compile(dir);
  expect(r.code, r.stderr).toBe(0);
  out = path.join(dir, 'out');
});

describe('what real roles need', () => {
  it('emits meta dependencies with their vars, when and tags', () => {
    expect((read('roles/webcheck/meta/main.yml') as { dependencies: unknown[] }).dependencies).toEqual([
      { role: 'ntp', when: "ansible_os_family == 'Debian'", tags: ['time'], vars: { ntp_mode: 'client' } },
    ]);
  });

  it('emits async/poll, service_facts and lists of mappings', () => {
    const tasks = read('roles/webcheck/tasks/main.yml') as Record<string, unknown>[];
    expect(tasks[3]).toHaveProperty('ansible.builtin.service_facts');
    expect(tasks[5]).toMatchObject({ async: 30, poll: 0, register: 'webcheck_warm' });
    expect((read('roles/webcheck/defaults/main.yml') as Record<string, unknown>).webcheck_sites).toEqual([
      { name: 'a', port: 80 },
    ]);
  });

  it('emits play strategy and environment, and a role use with when and tags', () => {
    const [play] = read('webcheck.yml') as Record<string, unknown>[];
    expect(play).toMatchObject({ strategy: 'free', environment: { LC_ALL: 'C.UTF-8' } });
    expect(play!.roles).toEqual([
      {
        role: 'webcheck',
        when: "inventory_hostname != 'pg03'",
        tags: ['web'],
        vars: { webcheck_sites: [{ name: 'b', port: 8080, tls: true }] },
      },
    ]);
  });

  it('emits task files, variable files, subfolder templates and import_playbook', () => {
    expect(read('roles/webcheck/tasks/configure.yml')).toEqual([
      {
        name: 'Write the site list',
        'ansible.builtin.template': {
          src: 'conf.d/sites.conf.j2',
          dest: '{{ webcheck_conf_dir }}/sites.conf',
          mode: '0644',
        },
      },
    ]);
    expect(read('roles/webcheck/vars/Debian.yml')).toEqual({ webcheck_curl: 'curl' });
    expect(fs.existsSync(path.join(out, 'roles/webcheck/templates/conf.d/sites.conf.j2'))).toBe(true);
    expect(read('roles/webcheck/defaults/main.yml')).not.toHaveProperty('webcheck_contact');
    expect(fs.readFileSync(path.join(out, 'roles/webcheck/tasks/main.yml'), 'utf8')).toContain(
      '# Shown in the log only.\n- name: Read the date # noqa: no-changed-when\n',
    );
    expect(read('webcheck-all.yml')).toEqual([
      { name: 'Run webcheck: Fixture playbook', 'ansible.builtin.import_playbook': 'webcheck.yml', tags: ['web'] },
    ]);
  });

  it("passes Ansible's syntax check and ansible-lint's production profile", async () => {
    const env = {
      ...process.env,
      ANSIBLE_CONFIG: path.join(ROOT, 'ansible.cfg'),
      ANSIBLE_ROLES_PATH: path.join(out, 'roles'),
    };
    const r = await execa(
      venvBin('ansible-playbook'),
      ['--syntax-check', '-i', path.join(out, 'inventory/local.yml'), path.join(out, 'webcheck-all.yml')],
      { env, reject: false },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const lint = await execa(
      venvBin('ansible-lint'),
      ['--profile', 'production', '--offline', 'roles/webcheck', 'webcheck.yml', 'webcheck-all.yml'],
      { cwd: out, env, reject: false },
    );
    expect(lint.exitCode, lint.stdout + lint.stderr).toBe(0);
  });
});
