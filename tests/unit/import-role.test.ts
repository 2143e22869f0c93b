// Import of an existing YAML role (tests/fixtures/roles/timesync: OS vars with include_vars,
// include_tasks with when, a block with rescue, free-form and k=v arguments, with_items with
// loop_control, notify as a string, a handler with listen, a template in a subfolder, argument
// specs), then a build of the generated source: the emitted role must be the same role.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRole, type ImportResult } from '../../compiler/import/import-role.js';
import { ImportError, readYaml } from '../../compiler/import/read-role.js';
import { keyValues } from '../../compiler/import/to-dsl.js';
import { DSL_FUNCTIONS, moduleFunctionName } from '../../compiler/module-names.js';
import { synthRole, type Synth } from '../../compiler/synth.js';
import type { AnyRole } from '../../dsl/role.js';
import { ROOT } from '../helpers/project.js';

const FIXTURE = path.join(ROOT, 'tests/fixtures/roles/timesync');
const target = path.join(ROOT, '.build/import-test/timesync');
const original = (rel: string) =>
  parse(fs.readFileSync(path.join(FIXTURE, rel), 'utf8'), { version: '1.1' }) as unknown;

/** A task as Ansible reads it: FQCN module names, k=v and free-form text expanded, loops and lists normalised. */
function normalize(task: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task)) {
    // A literal flat list loops the same either way; anything else keeps its with_items.
    if (k === 'with_items' && Array.isArray(v) && !v.some(Array.isArray)) out.loop = v;
    else if (k === 'with_items') out[k] = v;
    else if ((k === 'notify' || k === 'tags') && typeof v === 'string') out[k] = [v];
    else if (['block', 'rescue', 'always'].includes(k)) out[k] = (v as Record<string, unknown>[]).map(normalize);
    else if (
      ['name', 'when', 'loop', 'loop_control', 'register', 'changed_when', 'listen', 'tags', 'notify'].includes(k)
    )
      out[k] = v;
    else {
      const fqcn = k.includes('.') ? k : `ansible.builtin.${k}`;
      const short = fqcn.replace('ansible.builtin.', '');
      out[fqcn] =
        typeof v !== 'string'
          ? v
          : ['command', 'shell'].includes(short)
            ? { cmd: v }
            : short.startsWith('include_')
              ? { file: v.replace(/\.yml$/, '') + '.yml' }
              : keyValues(v);
    }
  }
  return out;
}

let result: ImportResult;
let built: Synth;
const emitted = (rel: string) => parse(String(built.files.get(`roles/timesync/${rel}`))) as unknown;

beforeAll(async () => {
  fs.rmSync(target, { recursive: true, force: true });
  // generate: false: this test imports into the product itself, whose dsl/modules/ it must not change.
  result = await importRole(FIXTURE, { root: ROOT, targetDir: target, generate: false });
  const role = ((await import(pathToFileURL(path.join(target, 'role.ts')).href)) as { default: AnyRole }).default;
  built = synthRole(role, { dir: target, inventoryVars: ['ansible_default_ipv4'] });
});

describe('npm run import', () => {
  it('writes a role source that builds without a problem, typing every module dsl/modules/ knows', () => {
    expect(built.problems).toEqual([]);
    expect(result.summary).toMatchObject({ typed: 7, untyped: 2 });
    expect(result.summary.notes).toEqual([
      expect.stringMatching(/^tasks\/main\.yml\[5\]\.block\[0\]: ansible\.builtin\.service is not in dsl\/modules\//),
      expect.stringMatching(/^handlers\[0\]: ansible\.builtin\.service is not in dsl\/modules\//),
      'meta/main.yml: dependencies some_galaxy_role left out: import those roles first, then import this one again',
    ]);
    const source = fs.readFileSync(path.join(target, 'role.ts'), 'utf8');
    expect(source).toContain("lineinfile({ path: '/etc/chrony/sources.list'");
    // k=v text becomes arguments typed as the module reads them (the normalisation below uses the same parser).
    // k=v values are the strings Ansible's parse_kv gives (the module converts `yes` itself).
    expect(source.replace(/\s+/g, ' ')).toContain(
      "untypedModule('ansible.builtin.service', { name: '{{ timesync_service }}', state: 'started', enabled: 'yes', })",
    );
    expect(source).toContain(
      "timesync_mode: str({ description: 'client or server', default: 'client', choices: ['client', 'server'] })",
    );
  });

  it('gives back the same tasks, task files, handlers, defaults, vars and templates', () => {
    for (const f of ['tasks/main.yml', 'tasks/install.yml', 'handlers/main.yml']) {
      expect(emitted(f), f).toEqual((original(f) as Record<string, unknown>[]).map(normalize));
    }
    expect(emitted('defaults/main.yml')).toEqual(original('defaults/main.yml'));
    expect(emitted('vars/Debian.yml')).toEqual(original('vars/Debian.yml'));
    // A dependency on a role the project has becomes a typed use of it.
    expect((emitted('meta/main.yml') as { dependencies: unknown[] }).dependencies).toEqual([
      { role: 'ntp', when: 'timesync_enabled', vars: { ntp_mode: 'client' } },
    ]);
    expect(built.files.get('roles/timesync/templates/conf.d/timesync.conf.j2')).toEqual(
      fs.readFileSync(path.join(FIXTURE, 'templates/conf.d/timesync.conf.j2'), 'utf8'),
    );
  });

  it('refuses a folder that is not a role, a YAML error (file and line), and an existing role source', async () => {
    await expect(importRole(path.join(ROOT, 'dsl'), { root: ROOT, targetDir: `${target}-x` })).rejects.toThrow(
      /not an Ansible role/,
    );
    const broken = path.join(ROOT, '.build/import-test/broken');
    fs.mkdirSync(path.join(broken, 'tasks'), { recursive: true });
    fs.writeFileSync(path.join(broken, 'tasks/main.yml'), '- name: A\n  command: [unclosed\n');
    await expect(importRole(broken, { root: ROOT, targetDir: `${target}-y` })).rejects.toThrow(
      /tasks\/main\.yml:\d+:\d+: YAML syntax error/,
    );
    await expect(importRole(FIXTURE, { root: ROOT, targetDir: target })).rejects.toThrow(ImportError);
    await expect(importRole(FIXTURE, { root: ROOT, targetDir: target })).rejects.toThrow(
      /exists: a role source named 'timesync' is already there \(use --force/,
    );
    expect(fs.existsSync(`${target}-x`) || fs.existsSync(`${target}-y`)).toBe(false);
  });

  it('refuses a symbolic link out of the role folder, and reads one that stays inside', async () => {
    const linked = path.join(ROOT, '.build/import-test/linked');
    fs.rmSync(linked, { recursive: true, force: true });
    fs.mkdirSync(path.join(linked, 'tasks'), { recursive: true });
    fs.mkdirSync(path.join(linked, 'templates'));
    fs.writeFileSync(path.join(linked, 'tasks/main.yml'), '- name: Say\n  ansible.builtin.debug:\n    msg: hi\n');
    fs.symlinkSync('/etc/hostname', path.join(linked, 'templates/host.j2'));
    await expect(importRole(linked, { root: ROOT, targetDir: `${target}-z` })).rejects.toThrow(
      /templates\/host\.j2: a symbolic link to \/etc\/hostname, outside the role folder/,
    );
    expect(fs.existsSync(`${target}-z`)).toBe(false);
  });
});

describe('module function names', () => {
  it('never take a name the DSL itself exports (ansible.builtin.raw is not the variable type raw)', () => {
    const index = fs.readFileSync(path.join(ROOT, 'dsl/index.ts'), 'utf8');
    const exported = [...index.matchAll(/export \{([^}]*)\}/g)]
      .flatMap((m) => m[1]!.split(','))
      .map((x) => x.trim())
      .filter((x) => /^[a-z]\w*$/.test(x));
    expect(exported.filter((n) => !DSL_FUNCTIONS.has(n))).toEqual([]);
    expect(moduleFunctionName('ansible.builtin.raw')).toBe('raw_');
    expect(moduleFunctionName('ansible.builtin.script')).toBe('script');
  });
});

describe('YAML as Ansible reads it', () => {
  it('reads what PyYAML takes and the yaml package refuses (a double-quoted string continued at a lower indent)', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.build', 'yaml-'));
    const file = path.join(dir, 'main.yml');
    fs.writeFileSync(file, '- name: Say\n  ansible.builtin.debug:\n    msg: "first line\n  continued here"\n');
    expect(readYaml(file)).toEqual([{ name: 'Say', 'ansible.builtin.debug': { msg: 'first line continued here' } }]);
    fs.writeFileSync(file, '- name: Say\n  debug: [unclosed\n');
    expect(() => readYaml(file)).toThrow(/main\.yml:\d+:\d+: YAML syntax error: .*\(Ansible: /);
    fs.rmSync(dir, { recursive: true });
  });
});
