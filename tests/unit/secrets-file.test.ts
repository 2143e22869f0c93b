// The secrets file the project's commands write and read: where a relative path points, the mode
// kept at 0600, and a vault password file others can read refused (as the playbooks refuse it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkVaultPasswordFile, ensureSecrets, secretsPath } from '../../ops/secrets.js';

describe('the secrets file', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-secrets-'));
  });
  afterEach(() => {
    process.env = { ...saved };
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes a relative PGHA_SECRETS_FILE from where the command was typed (npm keeps it in INIT_CWD)', () => {
    process.env.PGHA_SECRETS_FILE = 'mine.yml';
    process.env.INIT_CWD = dir;
    expect(secretsPath()).toBe(path.join(dir, 'mine.yml'));
    process.env.PGHA_SECRETS_FILE = '';
    expect(secretsPath()).toMatch(/\.secrets\/cluster\.yml$/);
  });

  it('writes every password at mode 0600 and narrows a file someone widened since', () => {
    const file = path.join(dir, 'cluster.yml');
    process.env.PGHA_SECRETS_FILE = file;
    const first = ensureSecrets();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.chmodSync(file, 0o644);
    expect(ensureSecrets()).toEqual(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a vault password file group or others can read, not a script that fetches the password', () => {
    const file = path.join(dir, 'vault-pass');
    fs.writeFileSync(file, 'x\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(() => {
      checkVaultPasswordFile(file);
    }).toThrow(`${file} has mode 0644: group and others must have no access`);
    fs.chmodSync(file, 0o600);
    expect(() => {
      checkVaultPasswordFile(file);
    }).not.toThrow();
    fs.chmodSync(file, 0o755);
    expect(() => {
      checkVaultPasswordFile(file);
    }).not.toThrow();
  });
});
