// Runs an emitted playbook against the stand, from the project's Python environment.
import path from 'node:path';
import { execa } from 'execa';
import { ansibleEnv, ansibleTool, PROJECT_ROOT } from '../lib/python-env.js';
import { activeInventory } from './local/layout.js';
import { ensureSecrets } from './secrets.js';

/** Runs out/<name>.yml with the inventory of the stand's running layout. */
export async function runPlaybook(name: string, extraArgs: string[] = []): Promise<void> {
  ensureSecrets();
  const inventory = path.join(PROJECT_ROOT, activeInventory());
  await execa(
    ansibleTool('ansible-playbook'),
    ['-i', inventory, path.join(PROJECT_ROOT, 'out', `${name}.yml`), ...extraArgs],
    {
      cwd: PROJECT_ROOT,
      env: ansibleEnv(),
      stdout: 'inherit',
      stderr: 'inherit',
      stdin: 'ignore',
    },
  );
}
