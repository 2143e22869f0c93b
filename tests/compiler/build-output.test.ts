// The emitted out/: snapshots of the roles' YAML, determinism, and Ansible's own checks.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, readTree, ROOT, scratchProject, venvBin } from '../helpers/project.js';

let project: string;
let out: string;

beforeAll(async () => {
  project = scratchProject();
  out = path.join(project, 'out');
  const r = await compile(project);
  expect(r.stderr).toContain('built');
  expect(r.code).toBe(0);
});

describe('emitted roles and playbooks', () => {
  it('match the snapshots', () => {
    const tree = readTree(out);
    for (const [rel, bytes] of tree) {
      if (!/\.(yml|j2|md|json)$/.test(rel)) continue;
      expect(bytes.toString('utf8')).toMatchSnapshot(rel);
    }
  });

  it('has every file a role needs', () => {
    for (const role of ['ntp', 'dns', 'etcd', 'patroni', 'haproxy']) {
      for (const f of ['tasks/main.yml', 'handlers/main.yml', 'defaults/main.yml', 'meta/main.yml', 'meta/argument_specs.yml', 'README.md']) {
        expect(fs.existsSync(path.join(out, 'roles', role, f)), `${role}/${f}`).toBe(true);
      }
      expect(fs.statSync(path.join(out, 'roles', role, 'templates')).isDirectory()).toBe(true);
      expect(fs.statSync(path.join(out, 'roles', role, 'files')).isDirectory()).toBe(true);
    }
  });

  it('is byte-identical across two builds', async () => {
    const second = path.join(project, 'out-again');
    expect((await compile(project, second)).code).toBe(0);
    const a = readTree(out);
    const b = readTree(second);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
    fs.rmSync(second, { recursive: true });
  });

  it('argument specs and defaults come from the same declaration', async () => {
    const { parse } = await import('yaml');
    for (const role of ['ntp', 'patroni']) {
      const defaults = parse(fs.readFileSync(path.join(out, 'roles', role, 'defaults/main.yml'), 'utf8')) as Record<string, unknown>;
      const specs = parse(fs.readFileSync(path.join(out, 'roles', role, 'meta/argument_specs.yml'), 'utf8')) as { argument_specs: { main: { options: Record<string, { default: unknown }> } } };
      const options = specs.argument_specs.main.options;
      expect(Object.keys(options)).toEqual(Object.keys(defaults));
      for (const [k, v] of Object.entries(defaults)) expect(options[k]!.default).toEqual(v);
    }
  });

  it('contains no secret values', () => {
    const secrets = path.join(ROOT, '.secrets', 'cluster.yml');
    if (!fs.existsSync(secrets)) return;
    const values = fs.readFileSync(secrets, 'utf8').split('\n').map((l) => l.split(': ')[1]?.trim()).filter((v): v is string => !!v && v.length > 8);
    for (const [rel, bytes] of readTree(out)) for (const v of values) expect(bytes.includes(v), rel).toBe(false);
  });

  it('passes ansible-playbook --syntax-check and ansible-lint (production profile)', async () => {
    const env = { ...process.env, ANSIBLE_CONFIG: path.join(ROOT, 'ansible.cfg'), ANSIBLE_ROLES_PATH: path.join(out, 'roles'), PATH: `${path.join(ROOT, '.venv/bin')}:${process.env.PATH}` };
    const playbooks = fs.readdirSync(out).filter((f) => f.endsWith('.yml'));
    expect(playbooks).toContain('site.yml');
    for (const pb of playbooks) {
      const r = await execa(venvBin('ansible-playbook'), ['--syntax-check', '-i', path.join(out, 'inventory/local.yml'), path.join(out, pb)], { env, reject: false });
      expect(r.exitCode, `${pb}: ${r.stderr}`).toBe(0);
    }
    const lint = await execa(venvBin('ansible-lint'), ['--profile', 'production', '--offline', '--nocolor', '.'], { cwd: out, env, reject: false });
    expect(lint.exitCode, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stderr).toContain("Profile 'production' was required, and it passed");
  });
});
