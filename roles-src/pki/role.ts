// pki: a private certificate authority kept on the controller beside the secrets, and a
// certificate per host signed by it, with the host's names and addresses. Keys are made and
// signed on the controller (the CA key never leaves it); each host receives the CA certificate,
// its own certificate and its own key. Re-running changes nothing until a host's names change or
// its certificate nears expiry (`pki_renew_days`), when it is signed again; a CA that nears expiry
// stops the run (replacing it is the operator's decision).
import {
  assert,
  block,
  bool,
  copy,
  defineRole,
  file,
  importTasks,
  int,
  list,
  openssl_csr_pipe,
  openssl_privatekey,
  openssl_privatekey_info,
  path,
  stat,
  str,
  task,
  x509_certificate,
  x509_certificate_info,
  type Expr,
} from '../../dsl/index.js';
import { installPackages, packagesFile, partPackages, ROLE_PACKAGES } from '../packages.js';
import { ETCD_PEER_CN, etcdCertificates } from './etcd-certificates.js';

const PACKAGES = partPackages(ROLE_PACKAGES.pki[0]);

// Blocks take no delegate_to/run_once in the DSL yet: each controller task carries them.
const ON_CONTROLLER = { delegate_to: 'localhost', become: false } as const;
const ON_CONTROLLER_ONCE = { ...ON_CONTROLLER, run_once: true } as const;

// Usages of the certificates this role signs: the names a CSR takes, and the names
// x509_certificate_info reports for them (OpenSSL's long names), sorted.
const HOST_USAGE = {
  key: { csr: ['digitalSignature', 'keyAgreement'], info: ['Digital Signature', 'Key Agreement'] },
  extended: {
    csr: ['serverAuth', 'clientAuth'],
    info: ['TLS Web Client Authentication', 'TLS Web Server Authentication'],
  },
};
const CONTROLLER_USAGE = {
  key: HOST_USAGE.key,
  extended: { csr: ['clientAuth'], info: ['TLS Web Client Authentication'] },
};

/**
 * Jinja test: the certificate read into `cert` is what signing again would give, so describing
 * and signing it can be skipped: outside the renewal window, for the key read into `key`, with
 * this common name, these subject alternative names and usages, issued by the CA read into
 * `pki_ca_cert` (its name and key identifier). Anything it does not recognise (an IPv6 address
 * written differently, a CA without a key identifier) only means the full path runs, which
 * changes nothing when nothing changed.
 */
function certificateIsCurrent(c: {
  cert: string;
  key: string;
  commonName: string;
  altNames: string;
  usage: typeof HOST_USAGE;
}): string {
  const { cert } = c;
  return [
    `${cert}.valid_at is defined and not ${cert}.expired and ${cert}.valid_at.renewal`,
    `${cert}.public_key_fingerprints.sha256 == ${c.key}.fingerprint.sha256`,
    `${cert}.subject_ordered == [['commonName', ${c.commonName}]]`,
    `(${cert}.subject_alt_name or []) | sort == (${c.altNames}) | sort`,
    `(${cert}.key_usage or []) | sort == ${JSON.stringify(c.usage.key.info)}`,
    `(${cert}.extended_key_usage or []) | sort == ${JSON.stringify(c.usage.extended.info)}`,
    `${cert}.issuer_ordered == pki_ca_cert.subject_ordered`,
    `pki_ca_cert.subject_key_identifier is not none`,
    `${cert}.authority_key_identifier == pki_ca_cert.subject_key_identifier`,
  ]
    .map((t) => `(${t})`)
    .join(' and ');
}

const CONTROLLER_CURRENT = certificateIsCurrent({
  cert: 'pki_controller_cert',
  key: 'pki_controller_key',
  commonName: "'pgha-controller'",
  altNames: '[]',
  usage: CONTROLLER_USAGE,
});

/**
 * Signs the CSR registered as `csr` with the CA into `path` (under pki_dir); forced when the
 * certificate read into `cert` nears expiry.
 */
function signedByCa(
  v: { pki_dir: Expr<string>; pki_cert_days: Expr<number> },
  c: { path: string; csr: string; cert: string; mode: string },
) {
  return x509_certificate({
    path: `${v.pki_dir}/${c.path}`,
    csr_content: `{{ ${c.csr}.csr }}`,
    provider: 'ownca',
    ownca_path: `${v.pki_dir}/ca.crt`,
    ownca_privatekey_path: `${v.pki_dir}/ca.key`,
    ownca_not_after: `+${v.pki_cert_days}d`,
    force: `{{ ${c.cert}.valid_at is defined and not ${c.cert}.valid_at.renewal }}`,
    mode: c.mode,
  });
}

export default defineRole({
  name: 'pki',
  description: 'A private certificate authority on the controller and a certificate per host, signed by it',
  vars: {
    pki_dir: path({
      default:
        "{{ lookup('ansible.builtin.env', 'PGHA_PKI_DIR') or ((lookup('ansible.builtin.env', 'PGHA_PROJECT_DIR') or (playbook_dir ~ '/..')) ~ '/.secrets/pki') }}",
      description:
        'Controller folder of the CA and the host keys (mode 0700; git-ignored under .secrets/). A CA you supply: put ca.key and ca.crt there',
    }),
    pki_ca_name: str({ default: 'pgha private CA', description: 'Common name of the certificate authority' }),
    pki_ca_days: int({ default: 3650, description: 'Validity of the CA certificate, days' }),
    pki_cert_days: int({ default: 825, description: 'Validity of a host certificate, days' }),
    pki_renew_days: int({
      default: 30,
      description: 'A host certificate that expires within this many days is signed again',
    }),
    pki_host_names: list({
      elements: 'str',
      default: ['{{ inventory_hostname }}', 'localhost'],
      description: 'DNS names in the host certificate',
    }),
    pki_host_addresses: list({
      elements: 'str',
      default: ['{{ ansible_host }}', '127.0.0.1'],
      description: 'IP addresses in the host certificate',
    }),
    pki_remote_dir: path({ default: '/etc/pgha/tls', description: 'Folder of the certificates on the host' }),
    pki_etcd_client: bool({
      default: false,
      description:
        'This host runs etcd clients (Patroni, etcdctl): it gets a client certificate of the etcd CA (no common name), the only kind etcd clients may connect with',
    }),
    pki_etcd_peer: bool({
      default: false,
      description: `This host is an etcd member: it gets a peer certificate of the etcd CA (common name ${ETCD_PEER_CN}), its key readable by etcd alone`,
    }),
  },
  // One task file per concern, in the order they run: the CA and the controller's client
  // certificate, then each host's certificate (both on the controller), then what the host receives.
  tasks: () => [
    importTasks('The certificate authority and the controller certificate', 'ca'),
    importTasks("This host's certificate, signed on the controller", 'sign'),
    importTasks("This host's certificates and key, installed", 'install'),
    importTasks("The etcd CA and this host's etcd certificates", 'etcd'),
  ],
  taskFiles: {
    // Empty: site.yml imports it so that its package list (ROLE_PACKAGES) reads the role's defaults.
    packages: packagesFile(),
    ca: (v) => [
      // A CA already in the folder (the user's own, or one an earlier run made) is never replaced:
      // it is read and checked, and anything wrong with it stops the run before anything is signed.
      block('The certificate authority, on the controller', [
        task(
          'Create the controller folder',
          file({ path: `${v.pki_dir}/hosts`, state: 'directory', mode: '0700' }),
          ON_CONTROLLER_ONCE,
        ),
        task('Look for a CA in the folder', stat({ path: `${v.pki_dir}/{{ item }}`, get_checksum: false }), {
          ...ON_CONTROLLER_ONCE,
          loop: ['ca.key', 'ca.crt'],
          register: 'pki_ca_files',
        }),
        task(
          'Stop when only half of a CA is there',
          assert({
            that: ["pki_ca_files.results | map(attribute='stat.exists') | unique | length == 1"],
            fail_msg: `${v.pki_dir} holds {{ pki_ca_files.results | selectattr('stat.exists') | map(attribute='item') | join('') }} without {{ pki_ca_files.results | rejectattr('stat.exists') | map(attribute='item') | join('') }}: a CA of your own needs both ca.key and ca.crt there (or remove both and the run makes a new CA)`,
            quiet: true,
          }),
          ON_CONTROLLER_ONCE,
        ),
        task(
          'Make a CA key (none in the folder)',
          openssl_privatekey({ path: `${v.pki_dir}/ca.key`, type: 'ECC', curve: 'secp384r1', mode: '0600' }),
          { ...ON_CONTROLLER_ONCE, when: 'not pki_ca_files.results[0].stat.exists' },
        ),
        task(
          'Describe a new CA',
          openssl_csr_pipe({
            privatekey_path: `${v.pki_dir}/ca.key`,
            common_name: v.pki_ca_name,
            basic_constraints: ['CA:TRUE', 'pathlen:0'],
            basic_constraints_critical: true,
            key_usage: ['keyCertSign', 'cRLSign'],
            key_usage_critical: true,
            use_common_name_for_san: false,
          }),
          {
            ...ON_CONTROLLER_ONCE,
            register: 'pki_ca_csr',
            changed_when: false,
            when: 'not pki_ca_files.results[1].stat.exists',
          },
        ),
        task(
          'Sign a new CA certificate',
          x509_certificate({
            path: `${v.pki_dir}/ca.crt`,
            csr_content: '{{ pki_ca_csr.csr }}',
            privatekey_path: `${v.pki_dir}/ca.key`,
            provider: 'selfsigned',
            selfsigned_not_after: `+${v.pki_ca_days}d`,
            mode: '0644',
          }),
          { ...ON_CONTROLLER_ONCE, when: 'not pki_ca_files.results[1].stat.exists' },
        ),
        task(
          'Read the CA certificate',
          x509_certificate_info({ path: `${v.pki_dir}/ca.crt`, valid_at: { renewal: `+${v.pki_renew_days}d` } }),
          { ...ON_CONTROLLER_ONCE, register: 'pki_ca_cert' },
        ),
        task("Read the CA key's public half", openssl_privatekey_info({ path: `${v.pki_dir}/ca.key` }), {
          ...ON_CONTROLLER_ONCE,
          register: 'pki_ca_key',
        }),
        task(
          'Stop when the CA key and certificate do not match or the certificate cannot sign',
          assert({
            that: [
              'pki_ca_key.public_key == pki_ca_cert.public_key',
              "'CA:TRUE' in (pki_ca_cert.basic_constraints or [])",
              "not pki_ca_cert.key_usage or 'Certificate Sign' in pki_ca_cert.key_usage",
            ],
            fail_msg: `The CA in ${v.pki_dir} cannot sign this cluster's certificates: ca.key must be the key of ca.crt, and ca.crt a CA certificate (basicConstraints CA:TRUE) whose key usage includes keyCertSign. Found: key matches {{ pki_ca_key.public_key == pki_ca_cert.public_key }}, basic constraints {{ pki_ca_cert.basic_constraints | default([], true) | join(', ') }}, key usage {{ pki_ca_cert.key_usage | default([], true) | join(', ') }}`,
            quiet: true,
          }),
          ON_CONTROLLER_ONCE,
        ),
        // Signing new host certificates with a CA about to expire would only move the outage.
        task(
          'Stop when the CA has expired or nears expiry',
          assert({
            that: ['not pki_ca_cert.expired', 'pki_ca_cert.valid_at.renewal'],
            fail_msg: `The CA ${v.pki_dir}/ca.crt expires at {{ pki_ca_cert.not_after }}, within ${v.pki_renew_days} days: replace it as docs/secrets-and-tls.md says (new ca.key and ca.crt in ${v.pki_dir}, then site.yml signs every certificate again)`,
            quiet: true,
          }),
          ON_CONTROLLER_ONCE,
        ),
      ]),
      block("The controller's client certificate (the project's status and test tools use it)", [
        task(
          "Make the controller's client key",
          openssl_privatekey({ path: `${v.pki_dir}/controller.key`, type: 'ECC', curve: 'secp256r1', mode: '0600' }),
          { ...ON_CONTROLLER_ONCE, register: 'pki_controller_key' },
        ),
        task(
          'Read the controller certificate',
          x509_certificate_info({
            path: `${v.pki_dir}/controller.crt`,
            valid_at: { renewal: `+${v.pki_renew_days}d` },
          }),
          { ...ON_CONTROLLER_ONCE, register: 'pki_controller_cert', failed_when: false },
        ),
        block(
          'Describe and sign it (again when its key, usages or CA changed, or it nears expiry)',
          [
            task(
              "Describe the controller's client",
              openssl_csr_pipe({
                privatekey_path: `${v.pki_dir}/controller.key`,
                common_name: 'pgha-controller',
                extended_key_usage: CONTROLLER_USAGE.extended.csr,
                key_usage: CONTROLLER_USAGE.key.csr,
                use_common_name_for_san: false,
              }),
              { ...ON_CONTROLLER_ONCE, register: 'pki_controller_csr', changed_when: false },
            ),
            task(
              "Sign the controller's client certificate",
              signedByCa(v, {
                path: 'controller.crt',
                csr: 'pki_controller_csr',
                cert: 'pki_controller_cert',
                mode: '0600',
              }),
              ON_CONTROLLER_ONCE,
            ),
          ],
          { when: `not (${CONTROLLER_CURRENT})` },
        ),
      ]),
    ],
    sign: (v) => {
      const altNames = `(${v.pki_host_names.expr} | map('regex_replace', '^', 'DNS:') | list) + (${v.pki_host_addresses.expr} | map('regex_replace', '^', 'IP:') | list)`;
      const current = certificateIsCurrent({
        cert: 'pki_host_cert',
        key: 'pki_host_key',
        commonName: 'inventory_hostname',
        altNames,
        usage: HOST_USAGE,
      });
      // An unchanged run reads the key and the certificate and stops there; describing and
      // signing (with the CSR compared to the certificate) run only when something differs.
      return [
        block("This host's certificate, signed on the controller", [
          task(
            "Make the host's key",
            openssl_privatekey({
              path: `${v.pki_dir}/hosts/{{ inventory_hostname }}.key`,
              type: 'ECC',
              curve: 'secp256r1',
              mode: '0600',
            }),
            { ...ON_CONTROLLER, register: 'pki_host_key' },
          ),
          task(
            'Read the host certificate',
            x509_certificate_info({
              path: `${v.pki_dir}/hosts/{{ inventory_hostname }}.crt`,
              valid_at: { renewal: `+${v.pki_renew_days}d` },
            }),
            { ...ON_CONTROLLER, register: 'pki_host_cert', failed_when: false },
          ),
          block(
            'Describe and sign it (again when its key, names, usages or CA changed, or it nears expiry)',
            [
              task(
                "Describe the host's names and addresses",
                openssl_csr_pipe({
                  privatekey_path: `${v.pki_dir}/hosts/{{ inventory_hostname }}.key`,
                  common_name: '{{ inventory_hostname }}',
                  subject_alt_name: `{{ ${altNames} }}`,
                  extended_key_usage: HOST_USAGE.extended.csr,
                  key_usage: HOST_USAGE.key.csr,
                }),
                { ...ON_CONTROLLER, register: 'pki_host_csr', changed_when: false },
              ),
              task(
                'Sign the host certificate',
                signedByCa(v, {
                  path: 'hosts/{{ inventory_hostname }}.crt',
                  csr: 'pki_host_csr',
                  cert: 'pki_host_cert',
                  mode: '0644',
                }),
                ON_CONTROLLER,
              ),
            ],
            { when: `not (${current})` },
          ),
        ]),
      ];
    },
    etcd: (v) => etcdCertificates(v),
    install: (v) => [
      installPackages('Install the ssl-cert group', PACKAGES, { register: 'pki_packages' }),
      task(
        'Create the certificate folder',
        file({ path: v.pki_remote_dir, state: 'directory', owner: 'root', group: 'root', mode: '0755' }),
      ),
      // One task for the three files; no_log because one of them is the key.
      task(
        "Install the CA certificate, the host's certificate and its key (the key readable by the ssl-cert group)",
        copy({
          src: `${v.pki_dir}/{{ item.src }}`,
          dest: `${v.pki_remote_dir}/{{ item.dest }}`,
          owner: 'root',
          group: '{{ item.group }}',
          mode: '{{ item.mode }}',
        }),
        {
          loop: [
            { src: 'ca.crt', dest: 'ca.crt', group: 'root', mode: '0644' },
            { src: 'hosts/{{ inventory_hostname }}.crt', dest: 'host.crt', group: 'root', mode: '0644' },
            { src: 'hosts/{{ inventory_hostname }}.key', dest: 'host.key', group: 'ssl-cert', mode: '0640' },
          ],
          no_log: true,
        },
      ),
    ],
  },
});
