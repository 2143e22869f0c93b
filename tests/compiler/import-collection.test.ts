// A collection's roles imported as a new user would, from the collection's own folder: the importer
// reads the collection from its galaxy.yml, keeps the fully qualified name another role includes
// (`acme.tools.base`, not the project's short `base`, which lint rules read differently), and the
// build makes that name reachable. Run with Ansible on this machine, the emitted roles do what the
// installed collection does, down to `role_name` and `ansible_role_name`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { importRole } from '../../compiler/import/import-role.js';
import { ensureProjectFolder } from '../../compiler/project-folder.js';
import { ansibleEnv, ansibleTool } from '../../lib/python-env.js';
import { compile } from '../helpers/project.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-collection-'));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};

const COLLECTION = 'collections/ansible_collections/acme/tools';
const META = 'galaxy_info:\n  author: acme\n  description: A role\n  license: MIT\n  min_ansible_version: "2.15"\n';

/** What each run of the roles wrote: `<role_name> <ansible_role_name> <a variable passed in>`. */
const result = (which: string) => fs.readFileSync(path.join(dir, `${which}.txt`), 'utf8');

async function run(playbook: string, env: Record<string, string> = {}) {
  const r = await execa(
    ansibleTool('ansible-playbook'),
    ['-i', 'here,', '-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3', playbook],
    { env: { ...ansibleEnv(), ...env }, reject: false },
  );
  expect(r.exitCode, r.stdout + r.stderr).toBe(0);
}

describe("a collection's roles", () => {
  it('import with their collection, keep the qualified name, and run as the installed collection does', async () => {
    write(
      `${COLLECTION}/galaxy.yml`,
      'namespace: acme\nname: tools\nversion: 1.0.0\nreadme: README.md\nauthors: [acme]\n',
    );
    write(`${COLLECTION}/roles/base/meta/main.yml`, META);
    write(`${COLLECTION}/roles/base/defaults/main.yml`, 'base_message: default\nbase_result: /nonexistent\n');
    write(
      `${COLLECTION}/roles/base/tasks/main.yml`,
      '- name: Write what this role sees\n  ansible.builtin.copy:\n    content: "{{ role_name }} {{ ansible_role_name }} {{ base_message }}\\n"\n    dest: "{{ base_result }}"\n    mode: "0644"\n',
    );
    write(`${COLLECTION}/roles/app/meta/main.yml`, META);
    write(
      `${COLLECTION}/roles/app/tasks/main.yml`,
      '- name: Run the base role\n  ansible.builtin.include_role:\n    name: acme.tools.base\n  vars:\n    base_message: from-app\n',
    );

    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    ensureProjectFolder(project);
    for (const name of ['base', 'app'])
      await importRole(path.join(dir, COLLECTION, 'roles', name), { root: project, generate: false });
    expect(fs.readFileSync(path.join(project, 'roles-src/base/role.ts'), 'utf8')).toContain("collection: 'acme.tools'");
    expect(fs.readFileSync(path.join(project, 'roles-src/app/role.ts'), 'utf8')).toContain("name: 'acme.tools.base'");

    const build = await compile(project);
    expect(build.code, build.stderr).toBe(0);
    const link = path.join(project, 'out/collections/ansible_collections/acme/tools/roles/base');
    expect(fs.readlinkSync(link)).toBe('../../../../../roles/base');
    const emitted = fs.readFileSync(path.join(project, 'out/roles/app/tasks/main.yml'), 'utf8');
    expect(emitted).toMatch(/name: acme\.tools\.base/);

    // The original, installed as a collection; the emitted roles, from out/ as a user runs them.
    const play = (role: string, out: string) =>
      `- name: Run\n  hosts: all\n  gather_facts: false\n  roles:\n    - role: ${role}\n      vars: { base_result: ${path.join(dir, out)} }\n`;
    write('original.yml', play('acme.tools.app', 'original.txt'));
    await run(path.join(dir, 'original.yml'), { ANSIBLE_COLLECTIONS_PATH: path.join(dir, 'collections') });
    fs.writeFileSync(path.join(project, 'out/emitted.yml'), play('app', 'emitted.txt'));
    await run(path.join(project, 'out/emitted.yml'), {
      ANSIBLE_ROLES_PATH: path.join(project, 'out/roles'),
      ANSIBLE_COLLECTIONS_PATH: path.join(dir, 'empty'),
    });
    expect(result('original')).toBe('base acme.tools.base from-app\n');
    expect(result('emitted')).toBe(result('original'));
  }, 300_000);

  it('refuses a collection name Ansible would not accept, naming the field', async () => {
    const project = path.join(dir, 'bad');
    fs.mkdirSync(project);
    ensureProjectFolder(project);
    await expect(
      importRole(path.join(dir, COLLECTION, 'roles', 'base'), {
        root: project,
        generate: false,
        collection: 'Acme-Tools',
      }),
    ).rejects.toThrow(/collection 'Acme-Tools' must be '<namespace>.<name>'/);
  }, 120_000);
});
