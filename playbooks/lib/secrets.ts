// The secrets file every playbook that needs passwords loads: generated, git-ignored, never in
// out/. Playbooks that load it start with `checkSecrets`, so a missing file or password stops the
// run on the controller before any host is changed.
import { assert, fail, include_vars, type Play, stat, task, type VarsFile } from '../../dsl/index.js';

/** Every password the cluster needs; `npm run secrets` (stand/secrets.ts) generates each one. */
export const SECRET_NAMES = [
  'pgha_superuser_password',
  'pgha_replication_password',
  'pgha_rest_api_password',
  'pgha_haproxy_stats_password',
] as const;

// PGHA_SECRETS_FILE, else .secrets/cluster.yml in the project (PGHA_PROJECT_DIR, which Molecule
// sets, or the folder above out/). stand/secrets.ts writes the same file.
const SECRETS_PATH =
  "{{ lookup('ansible.builtin.env', 'PGHA_SECRETS_FILE') or ((lookup('ansible.builtin.env', 'PGHA_PROJECT_DIR') or (playbook_dir ~ '/..')) ~ '/.secrets/cluster.yml') }}";

export const secretsFile: VarsFile = { path: SECRETS_PATH, provides: SECRET_NAMES };

const HOW =
  'run `npm run secrets` in the project (it writes .secrets/cluster.yml, mode 0600, git-ignored, keeping passwords already there), or point PGHA_SECRETS_FILE at your own file';

export const checkSecrets: Play = {
  name: 'Check the secrets before any host is changed',
  hosts: 'localhost',
  gather_facts: false,
  become: false,
  tasks: [
    task('Look for the secrets file', stat({ path: SECRETS_PATH }), { register: 'pgha_secrets_stat' }),
    task(
      'Stop when the secrets file is missing',
      fail({ msg: `The secrets file ${SECRETS_PATH} does not exist: ${HOW}.` }),
      {
        when: 'not pgha_secrets_stat.stat.exists',
      },
    ),
    task('Read the secrets file', include_vars({ file: SECRETS_PATH, name: 'pgha_secrets_found' }), { no_log: true }),
    task(
      'Stop when a password is missing or empty',
      assert({
        that: SECRET_NAMES.map((n) => `pgha_secrets_found['${n}'] | default('') | string | length > 0`),
        fail_msg: `The secrets file ${SECRETS_PATH} lacks a password; it needs ${SECRET_NAMES.join(', ')}: ${HOW}.`,
        quiet: true,
      }),
    ),
  ],
};
