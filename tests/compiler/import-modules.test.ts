// Import of a role whose modules dsl/modules/ does not type yet (community.general, ansible.posix;
// one by its short name), beside one it types (community.postgresql.postgresql_user): the importer asks the installed
// Ansible for each, generates their types on the way and writes typed calls. The built role is
// the same role with fully qualified names and passes ansible-lint's production profile (the
// original fails it on a short module name). An unknown module is refused with its task, and
// nothing is written.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRole, type ImportResult } from '../../compiler/import/import-role.js';
import { compile, readTree, ROOT, scratchProject, venvBin } from '../helpers/project.js';

const FIXTURE = path.join(ROOT, 'tests/fixtures/roles/hardening');
let dir: string;
let result: ImportResult;
let build: Awaited<ReturnType<typeof compile>>;

beforeAll(async () => {
  dir = scratchProject();
  result = await importRole(FIXTURE, { root: dir });
  build = await compile(dir);
});

describe('import of modules dsl/modules/ lacks', () => {
  it('generates their types and calls them typed', () => {
    expect(result.generated).toEqual(['ansible.posix.sysctl', 'community.general.modprobe', 'community.general.ufw']);
    // community.postgresql.postgresql_user is in dsl/modules already (the patroni role's users): typed, not generated.
    expect(fs.readFileSync(path.join(dir, 'roles-src/hardening/role.ts'), 'utf8')).toContain('postgresql_user(');
    expect(result.summary).toMatchObject({ typed: 6, untyped: 0 });
    const list = JSON.parse(fs.readFileSync(path.join(dir, 'dsl/modules/modules.json'), 'utf8')) as string[];
    expect(list).toEqual(expect.arrayContaining(result.generated));
    expect(fs.existsSync(path.join(dir, 'dsl/modules/ufw.generated.ts'))).toBe(true);
    const source = fs.readFileSync(path.join(dir, 'roles-src/hardening/role.ts'), 'utf8');
    expect(source).toContain("ufw({ rule: 'allow'");
    expect(source).not.toContain('untypedModule');
  });

  it('builds the same role, with fully qualified module names, clean under ansible-lint production', async () => {
    expect(build.code, build.stderr).toBe(0);
    const tasks = parse(fs.readFileSync(path.join(dir, 'out/roles/hardening/tasks/main.yml'), 'utf8')) as Record<
      string,
      unknown
    >[];
    const original = parse(fs.readFileSync(path.join(FIXTURE, 'tasks/main.yml'), 'utf8')) as Record<string, unknown>[];
    expect(tasks).toEqual(original.map(({ ufw, ...t }) => (ufw ? { ...t, 'community.general.ufw': ufw } : t)));
    const lint = await execa(venvBin('ansible-lint'), ['--profile', 'production', 'roles/hardening'], {
      cwd: path.join(dir, 'out'),
      reject: false,
    });
    expect(lint.exitCode, lint.stdout + lint.stderr).toBe(0);
  });

  it('refuses an unknown module, naming it and its task, and writes nothing', async () => {
    const bad = fs.mkdtempSync(path.join(dir, 'bad-role-'));
    fs.cpSync(FIXTURE, bad, { recursive: true });
    const tasks = fs.readFileSync(path.join(bad, 'tasks/main.yml'), 'utf8');
    fs.writeFileSync(
      path.join(bad, 'tasks/main.yml'),
      tasks.replace('community.general.modprobe:', 'community.general.modprobez:'),
    );
    const before = readTree(path.join(dir, 'dsl'));
    await expect(importRole(bad, { root: dir, name: 'bad_role' })).rejects.toThrow(
      "tasks/main.yml[1] 'Keep unused protocols out of the kernel': unknown module 'community.general.modprobez'",
    );
    expect(fs.existsSync(path.join(dir, 'roles-src/bad_role'))).toBe(false);
    const after = readTree(path.join(dir, 'dsl'));
    expect([...after.keys()]).toEqual([...before.keys()]);
  });
});
