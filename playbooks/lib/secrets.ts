// The secrets file every playbook that needs passwords reads: generated, git-ignored, never in
// out/. Playbooks that read it start with `checkSecrets`, so a missing file or password stops the
// run on the controller before any host is changed.
//
// It is read through a lookup, not `vars_files`: Ansible templates what `vars_files` loads, so a
// password containing `{{` would be evaluated, while a lookup's result is data it never templates
// again. The file may be encrypted with ansible-vault (the lookup decrypts it with the run's vault
// password: ANSIBLE_VAULT_PASSWORD_FILE, --vault-password-file or --ask-vault-pass).
import { assert, fail, type Play, stat, task } from '../../dsl/index.js';

/** Every password the cluster needs; `npm run secrets` (ops/secrets.ts) generates each one. */
export const SECRET_NAMES = [
  'pgha_superuser_password',
  'pgha_replication_password',
  'pgha_rewind_password',
  'pgha_operator_password',
  'pgha_rest_api_password',
  'pgha_haproxy_stats_password',
  'pgha_backup_cipher_pass',
  'pgha_etcd_root_password',
  'pgha_etcd_patroni_password',
] as const;

// PGHA_SECRETS_FILE (a relative path is taken from where ansible-playbook was started, as a user
// typing it means), else .secrets/cluster.yml in the project (PGHA_PROJECT_DIR, which Molecule
// sets, or the folder above out/). ops/secrets.ts writes the same file.
const SECRETS_PATH =
  "{{ ([lookup('ansible.builtin.env', 'PWD'), lookup('ansible.builtin.env', 'PGHA_SECRETS_FILE')] | ansible.builtin.path_join) if lookup('ansible.builtin.env', 'PGHA_SECRETS_FILE') else ((lookup('ansible.builtin.env', 'PGHA_PROJECT_DIR') or (playbook_dir ~ '/..')) ~ '/.secrets/cluster.yml') }}";

// The vault password file the run was given by ANSIBLE_VAULT_PASSWORD_FILE or ansible.cfg (one
// given as --vault-password-file is not visible to a play: docs/secrets-and-tls.md says so).
const VAULT_PASSWORD_FILE = "{{ lookup('ansible.builtin.config', 'DEFAULT_VAULT_PASSWORD_FILE') or '' }}";

/** The roles' own rule for a password (patroni, etcd and haproxy assert it), checked up front. */
const MIN_PASSWORD_LENGTH = 12;

/** Where the file is, and its content as data (read when a task first needs a password). */
const secretsFileVars = {
  pgha_secrets_file: SECRETS_PATH,
  pgha_secrets: "{{ lookup('ansible.builtin.file', pgha_secrets_file) | from_yaml }}",
};

/** Play variables that give each password from the secrets file. */
export const secretsVars: Readonly<Record<string, string>> = {
  ...secretsFileVars,
  ...Object.fromEntries(SECRET_NAMES.map((n) => [n, `{{ pgha_secrets['${n}'] }}`])),
};

const HOW =
  'run `npm run secrets` in the project (it writes .secrets/cluster.yml, mode 0600, git-ignored, keeping passwords already there), or point PGHA_SECRETS_FILE at your own file';

/** A stat result whose file group or others may read or write (mode bits below 0700). */
const othersCanRead = (stat: string) => `(${stat}.stat.mode | int(base=8)) % 64 != 0`;

/** Each check runs once, on the controller, for the first host a run targets. */
const ON_CONTROLLER = { delegate_to: 'localhost', when: 'inventory_hostname == ansible_play_hosts_all[0]' } as const;

// On every host of the run (hosts: all), not on localhost: a run limited with --limit must still
// check before it touches its hosts, and localhost is outside any limit. any_errors_fatal: a
// failed check ends the run for every host.
export const checkSecrets: Play = {
  name: 'Check the secrets before any host is changed',
  hosts: 'all',
  gather_facts: false,
  become: false,
  any_errors_fatal: true,
  // Runs whatever --tags a run selects.
  tags: ['always'],
  vars: { ...secretsFileVars, pgha_vault_password_file: VAULT_PASSWORD_FILE },
  tasks: [
    task('Look for the secrets file', stat({ path: '{{ pgha_secrets_file }}' }), {
      ...ON_CONTROLLER,
      register: 'pgha_secrets_stat',
    }),
    task(
      'Stop when the secrets file is missing',
      fail({ msg: `The secrets file {{ pgha_secrets_file }} does not exist: ${HOW}.` }),
      { ...ON_CONTROLLER, when: [ON_CONTROLLER.when, 'not pgha_secrets_stat.stat.exists'] },
    ),
    task(
      'Stop when others can read the secrets file',
      fail({
        msg: 'The secrets file {{ pgha_secrets_file }} has mode {{ pgha_secrets_stat.stat.mode }}: group and others must have no access (chmod 0600 {{ pgha_secrets_file }}).',
      }),
      { ...ON_CONTROLLER, when: [ON_CONTROLLER.when, othersCanRead('pgha_secrets_stat')] },
    ),
    task('Look for the vault password file', stat({ path: '{{ pgha_vault_password_file }}' }), {
      ...ON_CONTROLLER,
      when: [ON_CONTROLLER.when, 'pgha_vault_password_file | length > 0'],
      register: 'pgha_vault_password_stat',
    }),
    task(
      'Stop when others can read the vault password file',
      fail({
        msg: `The vault password file {{ pgha_vault_password_stat.stat.path }} has mode {{ pgha_vault_password_stat.stat.mode }}: group and others must have no access (chmod 0600 {{ pgha_vault_password_stat.stat.path }}).`,
      }),
      {
        ...ON_CONTROLLER,
        // An executable file is a script that fetches the password, not the password.
        when: [
          ON_CONTROLLER.when,
          'pgha_vault_password_stat.stat.exists | default(false)',
          'not pgha_vault_password_stat.stat.executable',
          othersCanRead('pgha_vault_password_stat'),
        ],
      },
    ),
    task(
      'Stop when a password is missing, empty or too weak',
      assert({
        that: [
          'pgha_secrets is mapping',
          ...SECRET_NAMES.map(
            (n) =>
              `pgha_secrets['${n}'] is defined and pgha_secrets['${n}'] is string and pgha_secrets['${n}'] | length >= ${MIN_PASSWORD_LENGTH}`,
          ),
          // The backup role's own rule, checked here before any host changes.
          "pgha_secrets['pgha_backup_cipher_pass'] is match('^[A-Za-z0-9_-]{32,}$')",
        ],
        fail_msg: `The secrets file {{ pgha_secrets_file }} lacks a password, one is not a string or shorter than ${MIN_PASSWORD_LENGTH} characters, or pgha_backup_cipher_pass is not 32 or more letters, digits, - or _; it needs ${SECRET_NAMES.join(', ')}: ${HOW}.`,
        quiet: true,
      }),
      ON_CONTROLLER,
    ),
  ],
};
