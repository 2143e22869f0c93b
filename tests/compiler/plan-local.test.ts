// npm run plan's reading of a real check-mode run (ansible-playbook with the JSON callback,
// against this machine through a local connection, in a scratch folder): a file that would
// change with its diff, the handler it notifies listed apart, a command check mode skips listed as
// unknown, a no_log task's diff hidden, and a failure reported as one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePlan, planText } from '../../ops/plan.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-plan-'));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const playbook = (tasks: string) => {
  fs.writeFileSync(
    path.join(dir, 'inventory.ini'),
    'here ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
  );
  fs.writeFileSync(path.join(dir, 'conf'), 'a = 1\nb = 2\n');
  const file = path.join(dir, 'play.yml');
  fs.writeFileSync(
    file,
    `- name: Scratch\n  hosts: here\n  gather_facts: false\n  handlers:\n    - name: Touch the marker\n      ansible.builtin.file: { path: ${dir}/marker, state: touch }\n  tasks:\n${tasks}`,
  );
  return file;
};

describe('npm run plan reads a check-mode run', () => {
  it('sorts changes (with diffs), unknown commands and hidden diffs per host, changing nothing', async () => {
    const file = playbook(`    - name: Set b
      ansible.builtin.lineinfile: { path: ${dir}/conf, regexp: '^b =', line: 'b = 3' }
      notify: Touch the marker
    - name: Write a secret
      ansible.builtin.copy: { dest: ${dir}/secret, content: "hunter2-hunter2\\n", mode: "0600" }
      no_log: true
    - name: Restart something
      ansible.builtin.command: /bin/true
      changed_when: true
    - name: Read only
      ansible.builtin.command: /bin/true
      changed_when: false
      check_mode: false
`);
    const plan = await makePlan({ playbook: file, inventory: path.join(dir, 'inventory.ini') });
    const here = plan.here!;
    expect(here.changes.map((c) => c.task)).toEqual(['Set b', 'Write a secret']);
    expect(here.changes[0]!.diff).toMatch(/^- b = 2$/m);
    expect(here.changes[0]!.diff).toMatch(/^\+ b = 3$/m);
    expect(here.changes[1]!.diff).toBe('(hidden: no_log)');
    expect(here.unknown.map((u) => u.task)).toEqual(['Restart something']);
    expect(here.failed).toEqual([]);
    // The handler the change notifies, listed apart as what would follow it.
    expect(here.handlers.map((h) => h.task)).toEqual(['Touch the marker']);
    expect(planText(plan)).toContain('  ! Touch the marker (Scratch): would run after the changes');
    expect(planText(plan)).toMatch(
      /plan: 2 change\(s\) on 1 host\(s\), 1 unknown in check mode, 0 failed, 0 unreachable, 1 handler run\(s\) after them$/,
    );
    expect(fs.existsSync(path.join(dir, 'marker'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'conf'), 'utf8')).toBe('a = 1\nb = 2\n');
    expect(fs.existsSync(path.join(dir, 'secret'))).toBe(false);
  });
  it('reports a failing task as a failure', async () => {
    const file = playbook(`    - name: Break
      ansible.builtin.fail: { msg: broken here }
`);
    const plan = await makePlan({ playbook: file, inventory: path.join(dir, 'inventory.ini') });
    expect(plan.here!.failed).toEqual([expect.objectContaining({ task: 'Break', message: 'broken here' })]);
  });
});
