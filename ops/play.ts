// Runs an emitted playbook (out/<name>.yml) from the project's Python environment, after making
// sure the secrets file exists. Works against any inventory: the stand passes its own.
import path from 'node:path';
import { execa } from 'execa';
import { ansibleEnv, ansibleTool, mitogenEnv, PROJECT_ROOT } from '../lib/python-env.js';
import { ensureSecrets, secretsPath } from './secrets.js';

/**
 * Runs out/<name>.yml with `inventory` (a path relative to the project or absolute); without one,
 * ansible.cfg's inventory or a `-i` among `extraArgs` decides.
 */
export async function runPlaybook(name: string, extraArgs: string[] = [], inventory?: string): Promise<void> {
  ensureSecrets();
  const inventoryArgs = inventory === undefined ? [] : ['-i', path.resolve(PROJECT_ROOT, inventory)];
  await execa(
    ansibleTool('ansible-playbook'),
    [...inventoryArgs, path.join(PROJECT_ROOT, 'out', `${name}.yml`), ...extraArgs],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...ansibleEnv(),
        ...mitogenEnv(),
        // The secrets file this command checked, by its full path: the playbook would take a
        // relative one from the project root, where it runs, not from where the user typed it.
        ...(process.env.PGHA_SECRETS_FILE ? { PGHA_SECRETS_FILE: secretsPath() } : {}),
      },
      stdout: 'inherit',
      stderr: 'inherit',
      stdin: 'ignore',
    },
  );
}
