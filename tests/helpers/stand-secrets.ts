// The stand tier's own secrets file: every password holds characters that break naive handling
// ('{{ }}' Ansible would template, '{%', spaces and '#' a config parser would cut at, quotes,
// '$', '\' and ':'), so every test that deploys, logs in or operates proves they are kept as data.
// Vitest's global setup for the stand project: written once, reused (the deployed cluster was
// bootstrapped with it).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { SECRET_NAMES } from '../../playbooks/lib/secrets.js';
import { writeSecrets } from '../../ops/secrets.js';

export const STAND_SECRETS_FILE = path.resolve(import.meta.dirname, '../../.secrets/stand-test.yml');

/** Hostile parts, one per password, each followed by a random part. */
const HOSTILE: Record<(typeof SECRET_NAMES)[number], string> = {
  pgha_superuser_password: `{{ x }} #a 'b"`,
  pgha_replication_password: `$HOME \\n:c {% raw %}`,
  pgha_rewind_password: `%x '' "$1" {{`,
  pgha_operator_password: `\\' }} #o :`,
  pgha_rest_api_password: `{# y #} ;&|:d'`,
  pgha_haproxy_stats_password: `a b #c 'd" \\ $e`,
  // An encryption key, checked to be letters, digits, - and _ (pgBackRest's file has no quoting).
  pgha_backup_cipher_pass: 'key-',
  // etcdctl reads ETCDCTL_USER as user:password, split at the first ':'.
  pgha_etcd_root_password: `:r' "$x {{ z }}`,
  pgha_etcd_patroni_password: `{% if %}:p #q \\`,
};

export default function setup(): void {
  process.env.PGHA_SECRETS_FILE ??= STAND_SECRETS_FILE;
  const file = process.env.PGHA_SECRETS_FILE;
  // Passwords already there are kept (the deployed cluster was bootstrapped with them); a name
  // added to SECRET_NAMES since gets its hostile value.
  const current = fs.existsSync(file) ? (YAML.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const missing = SECRET_NAMES.filter((n) => !current[n]);
  if (!missing.length) return;
  writeSecrets(file, {
    ...current,
    ...Object.fromEntries(
      missing.map((n) => [
        n,
        `${HOSTILE[n]}${crypto.randomBytes(n === 'pgha_backup_cipher_pass' ? 36 : 12).toString('base64url')}`,
      ]),
    ),
  });
}
