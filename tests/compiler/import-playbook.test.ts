// Import of a playbook (tests/fixtures/playbooks/check-web.yml: a role with variables and tags, play
// keywords, vars_files, pre_tasks, k=v arguments, a handler, a community.postgresql module, an
// import_playbook of a project playbook): the written source builds, and the emitted playbook is
// the same playbook with fully qualified module names and k=v text expanded.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { importPlaybookFile, type PlaybookImportResult } from '../../compiler/import/import-playbook.js';
import { compile, ROOT, scratchProject, venvBin } from '../helpers/project.js';

const FIXTURE = path.join(ROOT, 'tests/fixtures/playbooks');
let dir: string;
let result: PlaybookImportResult;

beforeAll(async () => {
  dir = scratchProject();
  result = await importPlaybookFile(path.join(FIXTURE, 'check-web.yml'), { root: dir });
});

describe('npm run import -- <playbook>', () => {
  it('writes playbooks/<name>.ts with typed calls, role uses and playbook imports', () => {
    expect(result.summary).toMatchObject({ typed: 5, untyped: 0 });
    expect(result.summary.notes).toEqual([]);
    const source = fs.readFileSync(path.join(dir, 'playbooks/check-web.ts'), 'utf8');
    expect(source).toContain("ntp.use({ ntp_mode: 'client' }, { tags: ['time'] })");
    expect(source).toContain("import replication_check from './replication-check.js';");
    expect(source).toContain("vars_files: [{ path: '../playbooks/vars/check-vars.yml', provides: ['check_owner'] }]");
    // The project keeps the variable file; out/ is rebuilt.
    expect(fs.readFileSync(path.join(dir, 'playbooks/vars/check-vars.yml'), 'utf8')).toContain('check_owner: dba-team');
    expect(source).toContain("wait_for({ port: '{{ check_port }}', timeout: 30 })");
    expect(source).toContain("comment: 'Nothing else makes sense before PostgreSQL answers.'");
  });

  it('builds to the same playbook', async () => {
    const built = await compile(dir);
    expect(built.code, built.stderr).toBe(0);
    const emitted = parse(fs.readFileSync(path.join(dir, 'out/check-web.yml'), 'utf8')) as Record<string, unknown>[];
    const original = parse(fs.readFileSync(path.join(FIXTURE, 'check-web.yml'), 'utf8')) as Record<string, unknown>[];
    expect(emitted[0]).toEqual(original[0]);
    type Play = Record<string, unknown> & { tasks: Record<string, unknown>[] };
    const play = emitted[1] as Play;
    const orig = original[1] as Play;
    expect({ ...play, pre_tasks: undefined, tasks: undefined, handlers: undefined }).toEqual({
      ...orig,
      vars_files: ['../playbooks/vars/check-vars.yml'],
      pre_tasks: undefined,
      tasks: undefined,
      handlers: undefined,
    });
    expect(play.pre_tasks).toEqual([
      { name: 'Wait for PostgreSQL', 'ansible.builtin.wait_for': { port: '{{ check_port }}', timeout: 30 } },
    ]);
    expect(play.tasks).toEqual(
      [
        { ...orig.tasks[0], debug: undefined, 'ansible.builtin.debug': orig.tasks[0]!.debug, notify: ['Note it'] },
        orig.tasks[1],
      ].map((t) => JSON.parse(JSON.stringify(t))),
    );
    expect(play.handlers).toEqual([{ name: 'Note it', 'ansible.builtin.debug': { msg: 'noted' } }]);
    const check = await execa(venvBin('ansible-playbook'), ['--syntax-check', 'check-web.yml'], {
      cwd: path.join(dir, 'out'),
      reject: false,
    });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    // The build names every import_playbook entry.
    expect(emitted[2]).toMatchObject({ 'ansible.builtin.import_playbook': 'replication-check.yml', tags: ['check'] });
  });

  it('runs as npm run import does (the transpiled command)', async () => {
    const r = await execa(
      'node',
      [path.join(ROOT, 'compiler/launch.mjs'), 'import', '--root', dir, '--name', 'check-cli', 'check-web.yml'],
      { cwd: FIXTURE, reject: false, env: { INIT_CWD: FIXTURE } },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^imported check-cli into .*playbooks\/check-cli\.ts in \d+ ms: 5 module calls typed, 0 kept untyped/,
    );
    expect(fs.existsSync(path.join(dir, 'playbooks/check-cli.ts'))).toBe(true);
  });

  it('refuses a role or playbook the project lacks, a file that is not a playbook, and an existing source', async () => {
    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(bad, '- name: X\n  hosts: all\n  roles: [nginx]\n');
    await expect(importPlaybookFile(bad, { root: dir })).rejects.toThrow(
      "plays[0].roles[0]: role 'nginx' is not in roles-src/: import it first",
    );
    fs.writeFileSync(bad, '- import_playbook: other.yml\n');
    await expect(importPlaybookFile(bad, { root: dir })).rejects.toThrow("playbook 'other' is not in playbooks/");
    fs.writeFileSync(bad, 'a: 1\n');
    await expect(importPlaybookFile(bad, { root: dir })).rejects.toThrow('not a playbook (expected a list of plays)');
    expect(fs.existsSync(path.join(dir, 'playbooks/bad.ts'))).toBe(false);
    await expect(importPlaybookFile(path.join(FIXTURE, 'check-web.yml'), { root: dir })).rejects.toThrow(
      /exists: a playbook source named 'check-web' is already there/,
    );
  });
});
