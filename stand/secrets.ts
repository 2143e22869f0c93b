// The cluster's passwords: generated once into a git-ignored file (or taken from the file
// PGHA_SECRETS_FILE names). Playbooks load it at run time; nothing secret reaches out/.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../lib/python-env.js';
import { toYaml } from '../lib/yaml-out.js';

import { SECRET_NAMES } from '../playbooks/lib/secrets.js';

export { SECRET_NAMES };
export type Secrets = Record<(typeof SECRET_NAMES)[number], string>;

export function secretsPath(): string {
  return process.env.PGHA_SECRETS_FILE ?? path.join(PROJECT_ROOT, '.secrets', 'cluster.yml');
}

/** Reads the secrets file, adding any missing password (existing ones are kept). */
export function ensureSecrets(): Secrets {
  const file = secretsPath();
  const current = fs.existsSync(file) ? ((parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets> | null) ?? {}) : {};
  const missing = SECRET_NAMES.filter((n) => typeof current[n] !== 'string' || !current[n]);
  if (missing.length) {
    for (const n of missing) current[n] = crypto.randomBytes(18).toString('base64url');
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, toYaml(current), { mode: 0o600 });
  }
  return current as Secrets;
}
