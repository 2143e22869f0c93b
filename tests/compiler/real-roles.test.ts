// What real roles need beyond the stand's five: role dependencies, role uses with `when` and
// `tags`, lists of mappings, background tasks (`async`/`poll`), facts a module sets
// (`service_facts`), play `strategy` and `environment`. Compiled from a scratch role, checked in
// the emitted YAML and by Ansible's own syntax check.
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
  fs.writeFileSync(path.join(dir, 'roles-src/webcheck/role.ts'), `
import { command, debug, defineRole, list, service_facts, task } from '../../dsl/index.js';
import ntp from '../ntp/role.js';
export default defineRole({
  name: 'webcheck',
  description: 'Fixture: what real roles need',
  dependencies: [ntp.use({ ntp_mode: 'client' }, { when: "ansible_os_family == 'Debian'", tags: ['time'] })],
  vars: {
    webcheck_sites: list({ elements: 'dict', default: [{ name: 'a', port: 80 }], description: 'Sites as mappings' }),
  },
  tasks: () => [
    task('Read the services', service_facts({})),
    task('Show whether chrony runs', debug({ msg: "{{ ansible_facts.services['chrony.service'].state | default('absent') }}" })),
    task('Warm the cache in the background', command({ cmd: 'sleep 1' }), { async: 30, poll: 0, register: 'webcheck_warm', changed_when: false }),
    task('Show each site', debug({ msg: '{{ item.name }}:{{ item.port }}' }), { loop: '{{ webcheck_sites }}' }),
  ],
});
`);
  fs.writeFileSync(path.join(dir, 'playbooks/webcheck.ts'), `
import { playbook } from '../dsl/index.js';
import webcheck from '../roles-src/webcheck/role.js';
export default playbook('webcheck', 'Fixture playbook', [{
  name: 'Check the web', hosts: 'pg', strategy: 'free', environment: { LC_ALL: 'C.UTF-8' },
  roles: [webcheck.use({ webcheck_sites: [{ name: 'b', port: 8080, tls: true }] }, { when: "inventory_hostname != 'pg03'", tags: ['web'] })],
}]);
`);
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
    expect(tasks[0]).toHaveProperty('ansible.builtin.service_facts');
    expect(tasks[2]).toMatchObject({ async: 30, poll: 0, register: 'webcheck_warm' });
    expect((read('roles/webcheck/defaults/main.yml') as Record<string, unknown>).webcheck_sites).toEqual([{ name: 'a', port: 80 }]);
  });

  it('emits play strategy and environment, and a role use with when and tags', () => {
    const [play] = read('webcheck.yml') as Record<string, unknown>[];
    expect(play).toMatchObject({ strategy: 'free', environment: { LC_ALL: 'C.UTF-8' } });
    expect(play!.roles).toEqual([{ role: 'webcheck', when: "inventory_hostname != 'pg03'", tags: ['web'], vars: { webcheck_sites: [{ name: 'b', port: 8080, tls: true }] } }]);
  });

  it("passes Ansible's syntax check", async () => {
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(ROOT, 'ansible.cfg'), ANSIBLE_ROLES_PATH: path.join(out, 'roles') };
    const r = await execa(venvBin('ansible-playbook'), ['--syntax-check', '-i', path.join(out, 'inventory/local.yml'), path.join(out, 'webcheck.yml')], { env, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
  });
});
