// Runs an emitted playbook against the stand, from the project's Python environment.
import path from 'node:path';
import { execa } from 'execa';
import { ansibleEnv, ansibleTool, PROJECT_ROOT } from '../lib/python-env.js';
import { ensureSecrets } from './secrets.js';

export async function runPlaybook(name: string, extraArgs: string[] = []): Promise<void> {
  ensureSecrets();
  await execa(ansibleTool('ansible-playbook'), [path.join(PROJECT_ROOT, 'out', `${name}.yml`), ...extraArgs], {
    cwd: PROJECT_ROOT,
    env: ansibleEnv(),
    stdout: 'inherit',
    stderr: 'inherit',
    stdin: 'ignore',
  });
}
