// A CA of the user's own in the PKI folder is read, checked and used, never replaced; a CA that
// cannot sign stops the run before any certificate is signed, naming the file. A host certificate
// is signed again exactly when its key, names, usages or CA changed or it nears expiry, and an
// unchanged run skips describing and signing. Controller only: the pki role's `ca` and `sign`
// task files run against localhost, as site.yml runs them.
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
async function runPki(dir: string, extra: string[] = []) {
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
  return execa(venvBin('ansible-playbook'), ['-i', inventory, play, ...extra], {
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

/** What a run did in a task of the pki role: ok, changed, skipping or failed. */
const outcome = (all: string, name: string) =>
  new RegExp(`TASK \\[pki : ${name.replace(/[()]/g, '\\$&')}\\][^\\n]*\\n(\\w+):`).exec(all)?.[1];
const serial = async (dir: string) =>
  (await openssl(['x509', '-in', 'hosts/db1.crt', '-noout', '-serial'], dir)).stdout;

describe('a host certificate signed again exactly when it must be', () => {
  const SIGN = 'Sign the host certificate';
  const DESCRIBE = "Describe the host's names and addresses";
  let dir: string;
  beforeAll(async () => {
    dir = freshDir();
    const first = await runPki(dir);
    expect(first.exitCode, first.all).toBe(0);
    expect(outcome(first.all, SIGN), first.all).toBe('changed');
  }, 300_000);

  it('an unchanged run reads the key and certificate and skips describing and signing', async () => {
    const run = await runPki(dir);
    expect(run.exitCode, run.all).toBe(0);
    expect(recap(run.all)?.[1], run.all).toBe('0');
    for (const task of [DESCRIBE, SIGN, "Describe the controller's client", "Sign the controller's client certificate"])
      expect(outcome(run.all, task), task).toBe('skipping');
  }, 300_000);

  for (const [what, change, check] of [
    [
      'a name added',
      () => Promise.resolve(['-e', '{"pki_host_names": ["db1", "localhost", "db1.example.org"]}']),
      async () => {
        const text = (await openssl(['x509', '-in', 'hosts/db1.crt', '-noout', '-ext', 'subjectAltName'], dir)).stdout;
        expect(text).toContain('DNS:db1.example.org');
      },
    ],
    [
      'the host key replaced',
      async () => {
        await openssl(
          ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'hosts/db1.key'],
          dir,
        );
        return [];
      },
      async () => {
        const fromCert = (await openssl(['x509', '-in', 'hosts/db1.crt', '-noout', '-pubkey'], dir)).stdout;
        const fromKey = (await openssl(['pkey', '-in', 'hosts/db1.key', '-pubout'], dir)).stdout;
        expect(fromCert).toBe(fromKey);
      },
    ],
    [
      'usages other than the role gives (a certificate signed by hand for serverAuth only)',
      async () => {
        await openssl(['req', '-new', '-key', 'hosts/db1.key', '-subj', '/CN=db1', '-out', 'db1.csr'], dir);
        fs.writeFileSync(
          path.join(dir, 'ext.cnf'),
          'authorityKeyIdentifier=keyid\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:db1,DNS:localhost,IP:127.0.0.1,IP:127.0.0.1\n',
        );
        await openssl(
          [
            'x509',
            '-req',
            '-in',
            'db1.csr',
            '-CA',
            'ca.crt',
            '-CAkey',
            'ca.key',
            '-days',
            '100',
            '-extfile',
            'ext.cnf',
            '-out',
            'hosts/db1.crt',
          ],
          dir,
        );
        return [];
      },
      async () => {
        const text = (await openssl(['x509', '-in', 'hosts/db1.crt', '-noout', '-ext', 'extendedKeyUsage'], dir))
          .stdout;
        expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
      },
    ],
    [
      'its renewal window reached (pki_renew_days beyond its validity)',
      () => Promise.resolve(['-e', 'pki_renew_days=900']),
      () => Promise.resolve(),
    ],
    [
      'a new CA put in the folder',
      async () => {
        fs.rmSync(path.join(dir, 'ca.key'));
        fs.rmSync(path.join(dir, 'ca.crt'));
        await makeCa(dir, {
          key: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
          subject: '/CN=New CA',
          days: 400,
        });
        return [];
      },
      async () => {
        expect((await openssl(['verify', '-CAfile', 'ca.crt', 'hosts/db1.crt'], dir)).stdout).toContain('OK');
        expect((await openssl(['verify', '-CAfile', 'ca.crt', 'controller.crt'], dir)).stdout).toContain('OK');
      },
    ],
  ] as const) {
    it(`${what}: signs it again, and the next run leaves it`, async () => {
      const before = await serial(dir);
      const extra = await change();
      const run = await runPki(dir, [...extra]);
      expect(run.exitCode, run.all).toBe(0);
      expect(outcome(run.all, SIGN), run.all).toBe('changed');
      expect(await serial(dir)).not.toBe(before);
      await check();
      // The next run with the same settings leaves it alone (after a renewal: with the default
      // window, the one given still covering the new certificate's whole validity).
      const settle = extra.includes('pki_renew_days=900') ? [] : [...extra];
      const again = await runPki(dir, settle);
      expect(again.exitCode, again.all).toBe(0);
      expect(outcome(again.all, SIGN), again.all).toBe('skipping');
      if (settle.length) expect((await runPki(dir)).exitCode).toBe(0);
    }, 300_000);
  }
});
