// A CA of the user's own in the PKI folder is read, checked and used, never replaced; a CA that
// cannot sign stops the run before any certificate is signed, naming the file. Controller only:
// the pki role's `ca` and `sign` task files run against localhost, as site.yml runs them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, scratchProject, venvBin } from '../helpers/project.js';

let out: string;

beforeAll(async () => {
  const project = scratchProject();
  out = path.join(project, 'out');
  const r = await compile(project);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

const openssl = (args: string[], cwd: string) => execa('openssl', args, { cwd });

/** A CA made with openssl in `dir`: key type, subject, days and whether it may sign. */
async function makeCa(dir: string, opts: { key: string[]; subject: string; days: number; ca?: boolean }) {
  await openssl(['genpkey', ...opts.key, '-out', 'ca.key'], dir);
  const ext = opts.ca === false ? 'basicConstraints=critical,CA:FALSE' : 'basicConstraints=critical,CA:TRUE';
  const usage = opts.ca === false ? 'keyUsage=digitalSignature' : 'keyUsage=critical,keyCertSign,cRLSign';
  await openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', opts.subject, '-days', String(opts.days)].concat([
      '-addext',
      ext,
      '-addext',
      usage,
      '-out',
      'ca.crt',
    ]),
    dir,
  );
  fs.chmodSync(path.join(dir, 'ca.key'), 0o600);
}

/** Runs the pki role's controller task files for one host, `db1`, with the PKI folder `dir`. */
async function runPki(dir: string) {
  const play = path.join(dir, '..', 'play.yml');
  fs.writeFileSync(
    play,
    [
      '- hosts: db1',
      '  gather_facts: false',
      '  tasks:',
      '    - { name: CA, ansible.builtin.include_role: { name: pki, tasks_from: ca } }',
      '    - { name: Sign, ansible.builtin.include_role: { name: pki, tasks_from: sign } }',
      '',
    ].join('\n'),
  );
  const inventory = path.join(dir, '..', 'hosts.yml');
  fs.writeFileSync(
    inventory,
    'all:\n  hosts:\n    db1:\n      ansible_host: 127.0.0.1\n      ansible_connection: local\n',
  );
  // No project ansible.cfg: the stand's inventory and keys have nothing to do with this run.
  const cfg = path.join(dir, '..', 'ansible.cfg');
  fs.writeFileSync(cfg, '[defaults]\nretry_files_enabled = False\n');
  return execa(venvBin('ansible-playbook'), ['-i', inventory, play], {
    reject: false,
    all: true,
    env: {
      PGHA_PKI_DIR: dir,
      ANSIBLE_ROLES_PATH: path.join(out, 'roles'),
      ANSIBLE_CONFIG: cfg,
      ANSIBLE_NOCOLOR: '1',
    },
  });
}

const freshDir = () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-own-ca-')), 'pki');
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
};
const read = (dir: string, f: string) => fs.readFileSync(path.join(dir, f));
const recap = (all: string) => /db1\s*: ok=\d+\s+changed=(\d+).*failed=(\d+)/.exec(all);

describe("a CA of the user's own", () => {
  for (const [kind, key, subject] of [
    ['RSA', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], '/O=Example/CN=Example Root RSA'],
    ['ECDSA P-384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], '/CN=Another subject'],
  ] as const) {
    it(`${kind}: is kept byte for byte and signs the host certificate; a second run changes nothing`, async () => {
      const dir = freshDir();
      await makeCa(dir, { key: [...key], subject, days: 400 });
      const [caKey, caCrt] = [read(dir, 'ca.key'), read(dir, 'ca.crt')];
      const first = await runPki(dir);
      expect(first.exitCode, first.all).toBe(0);
      expect(read(dir, 'ca.key').equals(caKey)).toBe(true);
      expect(read(dir, 'ca.crt').equals(caCrt)).toBe(true);
      const verify = await openssl(['verify', '-CAfile', 'ca.crt', 'hosts/db1.crt'], dir);
      expect(verify.stdout).toContain('hosts/db1.crt: OK');
      const second = await runPki(dir);
      expect(second.exitCode, second.all).toBe(0);
      expect(recap(second.all)?.[1], second.all).toBe('0');
      expect(read(dir, 'ca.crt').equals(caCrt)).toBe(true);
    }, 300_000);
  }

  it('with no CA in the folder: makes one (P-384, CA:TRUE) that signs, and keeps it on the next run', async () => {
    const dir = freshDir();
    const first = await runPki(dir);
    expect(first.exitCode, first.all).toBe(0);
    const text = (await openssl(['x509', '-in', 'ca.crt', '-noout', '-text'], dir)).stdout;
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect(text).toMatch(/NIST CURVE: P-384/);
    expect((await openssl(['verify', '-CAfile', 'ca.crt', 'hosts/db1.crt'], dir)).stdout).toContain('OK');
    const [caKey, caCrt] = [read(dir, 'ca.key'), read(dir, 'ca.crt')];
    const second = await runPki(dir);
    expect(second.exitCode, second.all).toBe(0);
    expect(recap(second.all)?.[1], second.all).toBe('0');
    expect(read(dir, 'ca.key').equals(caKey) && read(dir, 'ca.crt').equals(caCrt)).toBe(true);
  }, 300_000);

  for (const [what, prepare, message] of [
    [
      'a key that is not the certificate’s',
      async (dir: string) => {
        await makeCa(dir, {
          key: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
          subject: '/CN=A',
          days: 400,
        });
        await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key'], dir);
      },
      /cannot sign this cluster's certificates: ca\.key must be the key of ca\.crt.*key matches False/s,
    ],
    [
      'a certificate that is no CA',
      (dir: string) =>
        makeCa(dir, {
          key: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
          subject: '/CN=B',
          days: 400,
          ca: false,
        }),
      /basic constraints CA:FALSE/,
    ],
    [
      'a CA that expires within pki_renew_days',
      (dir: string) =>
        makeCa(dir, { key: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], subject: '/CN=C', days: 10 }),
      /ca\.crt expires at .*within 30 days/,
    ],
    [
      'a certificate without its key',
      async (dir: string) => {
        await makeCa(dir, {
          key: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
          subject: '/CN=D',
          days: 400,
        });
        fs.rmSync(path.join(dir, 'ca.key'));
      },
      /holds ca\.crt without ca\.key/,
    ],
  ] as const) {
    it(`with ${what}: stops before anything is signed, naming it, and changes no file`, async () => {
      const dir = freshDir();
      await prepare(dir);
      const before = fs.readdirSync(dir).map((f) => [f, fs.statSync(path.join(dir, f)).isFile() ? read(dir, f) : null]);
      const run = await runPki(dir);
      expect(run.exitCode, run.all).not.toBe(0);
      expect(run.all).toMatch(message);
      expect(run.all).toContain(dir);
      expect(fs.existsSync(path.join(dir, 'hosts', 'db1.crt'))).toBe(false);
      for (const [f, bytes] of before)
        if (bytes) expect(read(dir, f as string).equals(bytes as Buffer), f as string).toBe(true);
    }, 300_000);
  }
});
