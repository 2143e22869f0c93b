// The import's proof (compiler/import/compare-role.py through verify-import.ts): a role using what
// imports used to lose without a word imports and compares equal, and each of those losses, made
// by hand in a copy, is reported with its file and key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRole } from '../../compiler/import/import-role.js';
import { compareRoles } from '../../compiler/import/verify-import.js';
import { ensureProjectFolder } from '../../compiler/project-folder.js';

/** A role written as public roles are: free-form arguments with args:, apply:, null defaults... */
const ROLE: Record<string, string> = {
  'defaults/main.yml': ['demo_port: 8080', "demo_rounds: '640000'", 'demo_optional: null', 'demo_list: []', ''].join(
    '\n',
  ),
  'tasks/main.yml': [
    '- name: Run a raw command through bash',
    '  raw: echo hello',
    '  args:',
    '    executable: /bin/bash',
    '- name: Run a script once',
    '  script: files/setup.sh',
    '  args:',
    '    creates: /etc/demo-done',
    '- name: Include the hardening tasks as root',
    '  include_tasks: hardening.yml',
    '  args:',
    '    apply:',
    '      become: true',
    '      tags: [demo]',
    '- name: Write the configuration',
    '  template:',
    '    src: demo.conf.j2',
    '    dest: /etc/demo.conf',
    '    mode: 0644',
    '  notify: restart demo',
    '',
  ].join('\n'),
  'tasks/hardening.yml': ['- name: Tighten', '  file: path=/etc/demo state=directory mode=0750', ''].join('\n'),
  'handlers/main.yml': [
    '- name: restart demo',
    '  service: name=demo state=restarted',
    '  listen: demo changed',
    '',
  ].join('\n'),
  'meta/main.yml': [
    'galaxy_info:',
    '  author: someone',
    '  company: Some Company',
    '  description: A demo role',
    '  license: MIT',
    '  min_ansible_version: 2.10',
    'allow_duplicates: true',
    'dependencies: []',
    '',
  ].join('\n'),
  'meta/argument_specs.yml': [
    'argument_specs:',
    '  main:',
    '    short_description: The demo',
    '    options:',
    '      demo_port:',
    '        type: int',
    '        description: Port',
    '  hardening:',
    '    short_description: Only the hardening',
    '    options: {}',
    '',
  ].join('\n'),
  'templates/demo.conf.j2': [
    '#jinja2: trim_blocks:False, lstrip_blocks:True',
    '{% if demo_port %}',
    '  port {{ demo_port }}',
    '{% endif %}',
    '',
  ].join('\n'),
  'files/setup.sh': '#!/bin/sh\ntouch /etc/demo-done\n',
};

function writeRole(dir: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

let original: string;

beforeAll(() => {
  original = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-compare-')), 'demo');
  writeRole(original, ROLE);
});

describe('an imported role, compared with the original as Ansible reads both', () => {
  it('imports a role with args:, apply:, a null default, a #jinja2: override and a second argument spec entry point, and compares equal', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-compare-project-'));
    ensureProjectFolder(project);
    // importRole builds the project and compares (verify-import.ts): it throws on any difference.
    const r = await importRole(original, { root: project, name: 'demo' });
    expect(r.name).toBe('demo');
    expect(fs.existsSync(path.join(project, 'roles-src/demo/role.ts'))).toBe(true);
  }, 300_000);

  // Each change below is one an import made before without a word; each runs differently on a host.
  const changes: [string, string, string, RegExp][] = [
    [
      'args: dropped from a free-form module',
      'tasks/main.yml',
      '  args:\n    executable: /bin/bash\n',
      /tasks\/main\.yml.*\[0\]\.args\.executable/,
    ],
    [
      'apply: dropped from an include',
      'tasks/main.yml',
      '  args:\n    apply:\n      become: true\n      tags: [demo]\n',
      /tasks\/main\.yml.*\[2\]\.args\.apply/,
    ],
    ['a null default dropped', 'defaults/main.yml', 'demo_optional: null\n', /defaults\/main\.yml.*demo_optional/],
    [
      'a string default read as a number',
      'defaults/main.yml',
      "demo_rounds: '640000'\n",
      /defaults\/main\.yml.*demo_rounds/,
    ],
    [
      'an argument spec entry point dropped',
      'meta/argument_specs.yml',
      '  hardening:\n    short_description: Only the hardening\n    options: {}\n',
      /argument_specs\.hardening/,
    ],
    [
      'a handler losing its listen topic',
      'handlers/main.yml',
      '  listen: demo changed\n',
      /handlers\/main\.yml.*listen/,
    ],
    ['allow_duplicates dropped', 'meta/main.yml', 'allow_duplicates: true\n', /meta\/main\.yml.*allow_duplicates/],
  ];
  it.each(changes)(
    'reports %s, naming the file and the key',
    async (_what, file, cut, expected) => {
      const emitted = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-compare-emitted-')), 'demo');
      const changed = {
        ...ROLE,
        [file]: ROLE[file]!.replace(
          cut,
          file === 'defaults/main.yml' && cut.includes('640000') ? 'demo_rounds: 640000\n' : '',
        ),
      };
      expect(changed[file]).not.toBe(ROLE[file]);
      writeRole(emitted, changed);
      const differences = await compareRoles(original, emitted, []);
      expect(differences.map((d) => `${d.file} ${d.where}`).join('\n')).toMatch(expected);
    },
    120_000,
  );

  it("reports a #jinja2: override pushed off the first line, and takes the build's comment after the last byte", async () => {
    const emitted = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-compare-emitted-')), 'demo');
    const template = ROLE['templates/demo.conf.j2']!;
    writeRole(emitted, { ...ROLE, 'templates/demo.conf.j2': `{# a header #}\n${template}` });
    expect((await compareRoles(original, emitted, [])).map((d) => d.file)).toEqual(['templates/demo.conf.j2']);
    writeRole(emitted, {
      ...ROLE,
      'templates/demo.conf.j2': `${template}{# Generated by \`npm run build\` from roles-src/demo/templates/demo.conf.j2: edit that source, not this file. #}`,
    });
    expect(await compareRoles(original, emitted, [])).toEqual([]);
  }, 120_000);

  it("declares a variable the role reads and never sets as a caller's input when its README documents it; an undocumented one stays refused", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-compare-project-'));
    ensureProjectFolder(project);
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-compare-inputs-'));
    const tasks = '- name: Create the user\n  ansible.builtin.user:\n    name: "{{ demo_user }}"\n';
    writeRole(path.join(base, 'documented'), {
      'tasks/main.yml': tasks,
      'README.md': '| Variable | Meaning |\n|---|---|\n| `demo_user` | The account to create |\n',
    });
    writeRole(path.join(base, 'misspelt'), { 'tasks/main.yml': tasks, 'README.md': '`demo_usr`: the account\n' });
    const r = await importRole(path.join(base, 'documented'), { root: project, name: 'documented' });
    expect(r.summary.notes).toContainEqual(
      expect.stringMatching(/^caller inputs declared from the README or defaults\/main.yml's comments: demo_user$/),
    );
    expect(fs.readFileSync(path.join(project, 'roles-src/documented/role.ts'), 'utf8')).toContain(
      "demo_user: raw({ description: 'The account to create' })",
    );
    await expect(importRole(path.join(base, 'misspelt'), { root: project, name: 'misspelt' })).rejects.toThrow(
      /reads undeclared variable 'demo_user'/,
    );
    expect(fs.existsSync(path.join(project, 'roles-src/misspelt'))).toBe(false);
  }, 300_000);

  it('refuses the import and leaves roles-src as it was when the emitted role differs', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-compare-project-'));
    ensureProjectFolder(project);
    // A role whose task the build refuses cannot be proven: nothing is left behind.
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-compare-broken-')), 'broken');
    writeRole(broken, { 'tasks/main.yml': '- name: Bad\n  command: echo hi | grep h\n' });
    await expect(importRole(broken, { root: project, name: 'broken' })).rejects.toThrow(
      /checked by building the project/,
    );
    expect(fs.existsSync(path.join(project, 'roles-src/broken'))).toBe(false);
  }, 300_000);
});
