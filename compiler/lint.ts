// Runs Ansible's own checks on out/: --syntax-check per playbook, then ansible-lint (production).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ansibleEnv, ansibleTool } from '../lib/python-env.js';

export async function lintOut(outDir: string): Promise<void> {
  const playbooks = fs
    .readdirSync(outDir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
  // The roles checked are the ones in this out/, whatever ansible.cfg's roles_path says.
  const env = { ...ansibleEnv(), ANSIBLE_ROLES_PATH: path.join(outDir, 'roles') };
  for (const pb of playbooks) {
    await execa(
      ansibleTool('ansible-playbook'),
      ['--syntax-check', '-i', path.join(outDir, 'inventory', 'local.yml'), path.join(outDir, pb)],
      { env, stdout: 'inherit', stderr: 'inherit' },
    );
  }
  await execa(ansibleTool('ansible-lint'), ['--profile', 'production', '--offline', '--nocolor', '.'], {
    cwd: outDir,
    env,
    stdout: 'inherit',
    stderr: 'inherit',
  });
}
