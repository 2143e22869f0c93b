// The cluster's passwords: generated once into a git-ignored file (or taken from the file
// PGHA_SECRETS_FILE names). Playbooks load it at run time; nothing secret reaches out/.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import { parse } from 'yaml';
import { ansibleEnv, ansibleTool, PROJECT_ROOT } from '../lib/python-env.js';
import { toYaml } from '../lib/yaml-out.js';

import { SECRET_NAMES } from '../playbooks/lib/secrets.js';

export { SECRET_NAMES };
export type Secrets = Record<(typeof SECRET_NAMES)[number], string>;

export function secretsPath(): string {
  // Empty counts as unset, as the playbooks read it (`if lookup(...)`): never a file named ".tmp".
  // A relative path is taken from where the user typed the command, as the playbooks take it from
  // ansible-playbook's folder (npm runs scripts in the project root and keeps the first in INIT_CWD).
  const named = process.env.PGHA_SECRETS_FILE;
  if (named) return path.resolve(process.env.INIT_CWD ?? process.cwd(), named);
  return path.join(PROJECT_ROOT, '.secrets', 'cluster.yml');
}

/** Group or others may read or write it: a file holding a password must be its owner's alone. */
const looseMode = (mode: number) => (mode & 0o077) !== 0;

/**
 * Refuses a vault password file (ANSIBLE_VAULT_PASSWORD_FILE) that group or others can read, as
 * the playbooks do. An executable one is a script that fetches the password, not the password.
 */
export function checkVaultPasswordFile(file = process.env.ANSIBLE_VAULT_PASSWORD_FILE): void {
  if (!file || !fs.existsSync(file)) return;
  const { mode } = fs.statSync(file);
  if ((mode & 0o111) === 0 && looseMode(mode))
    throw new Error(
      `The vault password file ${file} has mode 0${(mode & 0o777).toString(8)}: group and others must have no access (chmod 0600 ${file}).`,
    );
}

const VAULT_HEADER = '$ANSIBLE_VAULT;';

/** The secrets file's text, decrypted with ansible-vault when it is encrypted. */
function readSecretsText(file: string): { text: string; encrypted: boolean } {
  const raw = fs.readFileSync(file, 'utf8');
  if (!raw.startsWith(VAULT_HEADER)) return { text: raw, encrypted: false };
  checkVaultPasswordFile();
  const r = execaSync(ansibleTool('ansible-vault'), ['view', file], {
    env: ansibleEnv(),
    reject: false,
    stdin: process.stdin.isTTY ? 'inherit' : 'ignore',
  });
  if (r.exitCode !== 0)
    throw new Error(
      `${file} is encrypted with ansible-vault and could not be decrypted: set ANSIBLE_VAULT_PASSWORD_FILE to the file holding its password (${r.stderr.trim()})`,
    );
  return { text: r.stdout, encrypted: true };
}

/**
 * Reads the secrets file, adding any missing password (existing ones are kept). An
 * ansible-vault encrypted file is read with the vault password and never rewritten.
 */
export function ensureSecrets(): Secrets {
  const file = secretsPath();
  const { text, encrypted } = fs.existsSync(file) ? readSecretsText(file) : { text: '', encrypted: false };
  const parsed: unknown = parse(text);
  if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed)))
    throw new Error(`${file}: expected a mapping of password names to passwords (${SECRET_NAMES.join(', ')})`);
  const current = (parsed ?? {}) as Partial<Record<string, unknown>>;
  // A number or boolean is the user's value read by YAML's rules: never replaced, only reported.
  const notText = SECRET_NAMES.filter(
    (n) => current[n] !== undefined && current[n] !== null && typeof current[n] !== 'string',
  );
  if (notText.length)
    throw new Error(
      `${file}: ${notText.join(', ')} must be a string; quote the value (YAML reads an unquoted 123 or yes as a number or boolean)`,
    );
  const missing = SECRET_NAMES.filter((n) => !current[n]);
  // The file this command writes is kept at 0600 even when someone widened it since; the
  // playbooks refuse a wider one rather than change a file the user may have placed there.
  if (!encrypted && !missing.length && fs.existsSync(file) && looseMode(fs.statSync(file).mode)) {
    fs.chmodSync(file, 0o600);
    console.error(`${file}: group and others could read it; its mode is 0600 again`);
  }
  if (missing.length && encrypted)
    throw new Error(`${file} (encrypted) lacks ${missing.join(', ')}: add them with \`ansible-vault edit ${file}\``);
  if (missing.length) {
    // The repository's encryption key is a key, not a password to type: longer.
    for (const n of missing)
      current[n] = crypto.randomBytes(n === 'pgha_backup_cipher_pass' ? 36 : 18).toString('base64url');
    writeSecrets(file, current);
  }
  return current as Secrets;
}

/** Writes a secrets file readable by its owner only, in a folder only its owner enters. */
export function writeSecrets(file: string, secrets: Readonly<Record<string, unknown>>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written whole beside it, then renamed: never half a file, and 0600 even where an older file
  // had a wider mode (the playbooks refuse one that others can read).
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, toYaml(secrets), { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}
