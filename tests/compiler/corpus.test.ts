// Twenty-six widely used public roles from nine authors (tests/fixtures/corpus, each with its license and
// origin), imported as a new user would, with no edit, into a project of their own: each builds,
// every task keeps its module and its keywords in order (blocks and handlers included), the output
// lints no worse than the original, and importing it back gives the same source. Nothing is dropped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { importPlaybookFile } from '../../compiler/import/import-playbook.js';
import { importRole } from '../../compiler/import/import-role.js';
import { compareRoles } from '../../compiler/import/verify-import.js';
import { execa } from 'execa';
import { ensureProjectFolder } from '../../compiler/project-folder.js';
import { compile, ROOT, venvBin } from '../helpers/project.js';
import { filesUnder } from '../../lib/files-under.js';

const CORPUS = path.join(ROOT, 'tests/fixtures/corpus');
// Dependencies first: the prometheus-community roles include prometheus.prometheus._common.
const PROMETHEUS_ROLES = [
  'node_exporter',
  'prometheus',
  'alertmanager',
  'blackbox_exporter',
  'postgres_exporter',
  'process_exporter',
];
const ROLES = [
  '_common',
  ...PROMETHEUS_ROLES,
  'postgresql',
  'anxs_postgresql',
  'nginx',
  'docker',
  'mysql',
  'redis',
  'security',
  'java',
  'firewall',
  'ssh_hardening',
  'os_hardening',
  'nginx_hardening',
  'mysql_hardening',
  'chrony',
  'timesync',
  'bootstrap',
  'users',
  'swapfile',
  'netplan',
];

const PLAYBOOKS = ['nginx-converge', 'docker-converge'];
const collectionOf = (name: string) =>
  name === '_common' || PROMETHEUS_ROLES.includes(name) ? { collection: 'prometheus.prometheus' } : {};

let project: string;
let build: { code: number | undefined; stderr: string };

beforeAll(async () => {
  // A folder of the user's own, empty: the first import makes it a project.
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-corpus-'));
  expect(ensureProjectFolder(project)).toEqual(['dsl', 'tsconfig.sources.json']);
  // The prometheus-community roles are prometheus.prometheus's (copied without its galaxy.yml): the
  // collection is named as a user importing such a copy would.
  for (const name of ROLES) await importRole(path.join(CORPUS, name), { root: project, name, ...collectionOf(name) });
  // Playbooks run against an inventory of the user's: one web host.
  fs.mkdirSync(path.join(project, 'inventories'));
  fs.writeFileSync(
    path.join(project, 'inventories/web.ts'),
    "import { inventory } from '../dsl/index.js';\n\nexport default inventory('web', { groups: { web: { hosts: { web1: { ansible_host: '192.0.2.10' } } } }, vars: {} });\n",
  );
  // Their Molecule converge playbooks, naming the roles by their Galaxy names (geerlingguy.nginx).
  for (const p of PLAYBOOKS)
    await importPlaybookFile(path.join(CORPUS, 'playbooks', `${p}.yml`), { root: project, name: p.replace('-', '_') });
  build = await compile(project);
}, 900_000);

/** Task files, in subfolders too (tasks/extensions/postgis.yml). */
const yamlFiles = (dir: string) => filesUnder(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => (parse(fs.readFileSync(file, 'utf8'), { version: '1.1' }) as unknown[] | null) ?? [];

/**
 * A task's shape as Ansible runs it: its keywords, the module as one key, and its nested task lists.
 * The spellings that mean the same are made one: `action`/`local_action` (a module, delegated to
 * localhost), `with_list` and `with_items` over a flat literal list (a `loop`), `args` (arguments).
 */
function shape(raw: unknown): unknown {
  const t = raw as Record<string, unknown>;
  const keys: string[] = [];
  const nested: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) {
    if (k === 'args') continue;
    if (['block', 'rescue', 'always'].includes(k)) nested[k] = (v as unknown[]).map(shape);
    else if (k === 'local_action') keys.push('(module)', 'delegate_to');
    else if (k === 'with_list' || (k === 'with_items' && Array.isArray(v) && !v.some(Array.isArray))) keys.push('loop');
    else if (
      /^(name|when|loop|loop_control|register|notify|listen|tags|become\w*|delegate\w*|run_once|changed_when|failed_when|until|retries|delay|ignore_\w+|check_mode|diff|no_log|vars|environment|throttle|timeout|async|poll|any_errors_fatal|remote_user|connection|module_defaults|with_[\w.]+)$/.test(
        k,
      )
    )
      keys.push(k);
    else keys.push('(module)');
  }
  return { keys: [...new Set(keys)].sort(), ...nested };
}

describe('public roles imported with no edit', () => {
  it('all build in a project of their own', () => {
    expect(build.stderr).toContain('built');
    expect(build.code, build.stderr).toBe(0);
  });

  for (const name of ROLES) {
    it(`${name}: every task and handler keeps its module and keywords, in order`, () => {
      const out = path.join(project, 'out/roles', name);
      const src = path.join(CORPUS, name);
      for (const f of yamlFiles(path.join(src, 'tasks')))
        expect(read(path.join(out, 'tasks', f.replace(/\.yaml$/, '.yml'))).map(shape), `tasks/${f}`).toEqual(
          read(path.join(src, 'tasks', f)).map(shape),
        );
      for (const f of yamlFiles(path.join(src, 'handlers')))
        expect(read(path.join(out, 'handlers/main.yml')).map(shape), `handlers/${f}`).toEqual(
          read(path.join(src, 'handlers', f)).map(shape),
        );
    });
  }

  for (const p of PLAYBOOKS) {
    it(`playbook ${p}: every play keeps its keywords, tasks and roles (Galaxy names as the project's roles)`, () => {
      const original = read(path.join(CORPUS, 'playbooks', `${p}.yml`)) as Record<string, unknown>[];
      const emitted = read(path.join(project, 'out', `${p.replace('-', '_')}.yml`)) as Record<string, unknown>[];
      expect(emitted.map((play) => Object.keys(play).sort())).toEqual(original.map((play) => Object.keys(play).sort()));
      original.forEach((play, i) => {
        for (const k of ['pre_tasks', 'tasks', 'post_tasks', 'handlers'])
          expect(((emitted[i]![k] ?? []) as unknown[]).map(shape), `${p} ${k}`).toEqual(
            ((play[k] ?? []) as unknown[]).map(shape),
          );
        const roleName = (r: unknown) => (typeof r === 'string' ? r : (r as { role: string }).role).split('.').pop();
        expect(((emitted[i]!.roles ?? []) as unknown[]).map(roleName)).toEqual(
          ((play.roles ?? []) as unknown[]).map(roleName),
        );
        expect(emitted[i]!.vars ?? null).toEqual(play.vars ?? null);
      });
    });
  }

  it("runs as the original does: each emitted role reads the same to Ansible's own parser (tasks through ModuleArgsParser, defaults, meta, templates)", async () => {
    // npm run import made the same comparison before keeping each role; here it is stated per role.
    for (const name of ROLES)
      expect(await compareRoles(path.join(CORPUS, name), path.join(project, 'out/roles', name), ROLES), name).toEqual(
        [],
      );
  }, 900_000);

  it('lints no worse than the original under ansible-lint production, rule by rule and role by role', async () => {
    /** Failures per role and rule of ansible-lint over `roles/<name>` folders under `dir`. */
    const lint = async (dir: string) => {
      const r = await execa(
        venvBin('ansible-lint'),
        ['--profile', 'production', '--offline', '-f', 'codeclimate', ...ROLES.map((n) => `roles/${n}`)],
        { cwd: dir, reject: false, env: { ANSIBLE_ROLES_PATH: path.join(dir, 'roles') } },
      );
      const counts = new Map<string, number>();
      for (const f of JSON.parse(r.stdout || '[]') as { check_name: string; location: { path: string } }[]) {
        const key = `${f.location.path.split('/')[1]!} ${f.check_name}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    };
    const originals = path.join(project, 'originals');
    for (const n of ROLES) fs.cpSync(path.join(CORPUS, n), path.join(originals, 'roles', n), { recursive: true });
    const [before, after] = [await lint(originals), await lint(path.join(project, 'out'))];
    // The prometheus roles still include prometheus.prometheus._common by that name: ansible-lint
    // reads the variables passed to it as that role's, as in the original, not as the includer's.
    const worse = [...after]
      .filter(([k, n]) => n > (before.get(k) ?? 0))
      .map(([k, n]) => `${k}: ${before.get(k) ?? 0} -> ${n}`);
    expect(worse).toEqual([]);
  }, 900_000);

  it('imports back to the same source: importing the emitted role gives the role source it came from', async () => {
    for (const name of ROLES) {
      const again = path.join(project, 'again', name);
      await importRole(path.join(project, 'out/roles', name), { root: project, name, targetDir: again });
      expect(fs.readFileSync(path.join(again, 'role.ts'), 'utf8'), name).toBe(
        fs.readFileSync(path.join(project, 'roles-src', name, 'role.ts'), 'utf8'),
      );
    }
  }, 900_000);

  it("keeps the comment above each default as the variable's description, and in the emitted defaults", () => {
    const source = fs.readFileSync(path.join(project, 'roles-src/redis/role.ts'), 'utf8');
    expect(source).toMatch(
      /redis_save: list\(\{\s*elements: 'str',\s*description: 'Set to an empty set to disable persistence \(saving the DB to disk\)\.'/,
    );
    // A default without a comment above it gets no description.
    expect(source).toMatch(/redis_enabled: bool\(\{ default: true \}\)/);
    const defaults = fs.readFileSync(path.join(project, 'out/roles/redis/defaults/main.yml'), 'utf8');
    expect(defaults).toContain('# Set to an empty set to disable persistence (saving the DB to disk).\nredis_save:');
  });

  it('keeps what a YAML 1.1 reader would change: octal modes and versions with trailing zeros stay as written', () => {
    const text = fs.readFileSync(path.join(project, 'roles-src/docker/role.ts'), 'utf8');
    expect(text).toContain("min_ansible_version: '2.15.1'");
    const meta = parse(fs.readFileSync(path.join(project, 'out/roles/postgresql/meta/main.yml'), 'utf8')) as {
      galaxy_info: { min_ansible_version: unknown };
    };
    expect(typeof meta.galaxy_info.min_ansible_version).toBe('string');
    // `mode: 0644` (420 to a YAML 1.1 reader): the octal text, which Ansible reads as the same mode.
    const compose = fs.readFileSync(path.join(project, 'out/roles/docker/tasks/docker-compose.yml'), 'utf8');
    expect(compose).toMatch(/mode: "0755"/);
    expect(compose).not.toMatch(/mode: 493/);
  });

  it('keeps integer keys (a lookup by version number), task subfolders, and a caller input named only in a defaults comment', () => {
    const defaults = parse(fs.readFileSync(path.join(project, 'out/roles/anxs_postgresql/defaults/main.yml'), 'utf8'), {
      version: '1.1',
      mapAsMap: true,
    }) as Map<string, unknown>;
    const compat = defaults.get('postgresql_postgis_release_compatibility') as Map<unknown, unknown>;
    expect(compat.get(15)).toBe('3.2');
    expect(compat.has('15')).toBe(false);
    expect(fs.existsSync(path.join(project, 'out/roles/anxs_postgresql/tasks/extensions/postgis.yml'))).toBe(true);
    expect(fs.readFileSync(path.join(project, 'roles-src/anxs_postgresql/role.ts'), 'utf8')).toMatch(
      /postgresql_apt_keyring: raw\(\{\s*description: 'commented out in defaults\/main.yml: /,
    );
  });
});
