// The etcd credentials: a CA of their own (on the controller, beside the cluster's CA), which
// signs only what etcd takes and serves. etcd's client port trusts this CA alone (and its clients
// verify etcd with it), so a certificate of the
// cluster's CA (ns's, the controller's, any host's) opens no TLS connection to it; its peer port
// takes only the members' peer certificates (common name ETCD_PEER_CN). A client certificate has no
// common name: etcd's JSON gateway, Patroni's way in, refuses a request whose certificate has one,
// and a client is named by its etcd user and password anyway.
import {
  assert,
  block,
  copy,
  openssl_csr_pipe,
  openssl_privatekey,
  stat,
  task,
  x509_certificate,
  x509_certificate_info,
  type Expr,
  type TaskItem,
} from '../../dsl/index.js';

/** The common name every member's peer certificate has, and the only one etcd's peer port takes. */
export const ETCD_PEER_CN = 'pgha-etcd-peer';

const ON_CONTROLLER = { delegate_to: 'localhost', become: false } as const;
const ON_CONTROLLER_ONCE = { ...ON_CONTROLLER, run_once: true } as const;

interface PkiVars {
  pki_dir: Expr<string>;
  pki_ca_days: Expr<number>;
  pki_cert_days: Expr<number>;
  pki_renew_days: Expr<number>;
  pki_remote_dir: Expr<string>;
}

const KEY_USAGE = { csr: ['digitalSignature', 'keyAgreement'], info: ['Digital Signature', 'Key Agreement'] };
const CLIENT = { csr: ['clientAuth'], info: ['TLS Web Client Authentication'] };
const PEER = {
  csr: ['serverAuth', 'clientAuth'],
  info: ['TLS Web Client Authentication', 'TLS Web Server Authentication'],
};

/** The CA that signs etcd's client and peer certificates; made once, never replaced by a run. */
function etcdCa(v: PkiVars): TaskItem {
  return block('The etcd CA, on the controller', [
    task(
      'Make the etcd CA key (once)',
      openssl_privatekey({ path: `${v.pki_dir}/etcd-ca.key`, type: 'ECC', curve: 'secp384r1', mode: '0600' }),
      ON_CONTROLLER_ONCE,
    ),
    task('Look for the etcd CA certificate', stat({ path: `${v.pki_dir}/etcd-ca.crt`, get_checksum: false }), {
      ...ON_CONTROLLER_ONCE,
      register: 'pki_etcd_ca_existing',
    }),
    task(
      'Describe the etcd CA',
      openssl_csr_pipe({
        privatekey_path: `${v.pki_dir}/etcd-ca.key`,
        common_name: 'pgha etcd CA',
        basic_constraints: ['CA:TRUE', 'pathlen:0'],
        basic_constraints_critical: true,
        key_usage: ['keyCertSign', 'cRLSign'],
        key_usage_critical: true,
        use_common_name_for_san: false,
      }),
      {
        ...ON_CONTROLLER_ONCE,
        register: 'pki_etcd_ca_csr',
        changed_when: false,
        when: 'not pki_etcd_ca_existing.stat.exists',
      },
    ),
    task(
      'Sign the etcd CA certificate (once)',
      x509_certificate({
        path: `${v.pki_dir}/etcd-ca.crt`,
        csr_content: '{{ pki_etcd_ca_csr.csr }}',
        privatekey_path: `${v.pki_dir}/etcd-ca.key`,
        provider: 'selfsigned',
        selfsigned_not_after: `+${v.pki_ca_days}d`,
        mode: '0644',
      }),
      { ...ON_CONTROLLER_ONCE, when: 'not pki_etcd_ca_existing.stat.exists' },
    ),
    task(
      'Read the etcd CA',
      x509_certificate_info({ path: `${v.pki_dir}/etcd-ca.crt`, valid_at: { renewal: `+${v.pki_renew_days}d` } }),
      { ...ON_CONTROLLER_ONCE, register: 'pki_etcd_ca_cert' },
    ),
    task(
      'Stop when the etcd CA nears expiry',
      assert({
        that: ['not pki_etcd_ca_cert.expired', 'pki_etcd_ca_cert.valid_at.renewal'],
        fail_msg: `The etcd CA ${v.pki_dir}/etcd-ca.crt expires at {{ pki_etcd_ca_cert.not_after }}, within ${v.pki_renew_days} days: remove etcd-ca.key and etcd-ca.crt there and run site.yml, which makes a new one and signs etcd's certificates again`,
        quiet: true,
      }),
      ON_CONTROLLER_ONCE,
    ),
  ]);
}

/**
 * One certificate of the etcd CA for this host, `name` under pki_dir/hosts: made and signed on the
 * controller, again only when its key, subject, names, usages or CA changed or it nears expiry.
 */
function etcdCertificate(
  v: PkiVars,
  c: { name: string; what: string; commonName?: string; altNames: string; usage: typeof CLIENT; when: string },
): TaskItem {
  const base = `${v.pki_dir}/hosts/{{ inventory_hostname }}.${c.name}`;
  const reg = `pki_${c.name.replaceAll('-', '_')}`;
  const subject = c.commonName ? `[['commonName', '${c.commonName}']]` : '[]';
  const current = [
    `${reg}_cert.valid_at is defined and not ${reg}_cert.expired and ${reg}_cert.valid_at.renewal`,
    `${reg}_cert.public_key_fingerprints.sha256 == ${reg}_key.fingerprint.sha256`,
    `${reg}_cert.subject_ordered == ${subject}`,
    `(${reg}_cert.subject_alt_name or []) | sort == (${c.altNames}) | sort`,
    `(${reg}_cert.extended_key_usage or []) | sort == ${JSON.stringify(c.usage.info)}`,
    `${reg}_cert.authority_key_identifier == pki_etcd_ca_cert.subject_key_identifier`,
  ]
    .map((t) => `(${t})`)
    .join(' and ');
  return block(
    `This host's ${c.what}, signed by the etcd CA on the controller`,
    [
      task(
        `Make the ${c.what} key`,
        openssl_privatekey({ path: `${base}.key`, type: 'ECC', curve: 'secp256r1', mode: '0600' }),
        { ...ON_CONTROLLER, register: `${reg}_key` },
      ),
      task(
        `Read the ${c.what}`,
        x509_certificate_info({ path: `${base}.crt`, valid_at: { renewal: `+${v.pki_renew_days}d` } }),
        { ...ON_CONTROLLER, register: `${reg}_cert`, failed_when: false },
      ),
      block(
        `Describe and sign the ${c.what} (again when it changed or nears expiry)`,
        [
          task(
            `Describe the ${c.what}`,
            openssl_csr_pipe({
              privatekey_path: `${base}.key`,
              ...(c.commonName ? { common_name: c.commonName } : {}),
              subject_alt_name: `{{ ${c.altNames} }}`,
              extended_key_usage: c.usage.csr,
              key_usage: KEY_USAGE.csr,
              use_common_name_for_san: false,
            }),
            { ...ON_CONTROLLER, register: `${reg}_csr`, changed_when: false },
          ),
          task(
            `Sign the ${c.what}`,
            x509_certificate({
              path: `${base}.crt`,
              csr_content: `{{ ${reg}_csr.csr }}`,
              provider: 'ownca',
              ownca_path: `${v.pki_dir}/etcd-ca.crt`,
              ownca_privatekey_path: `${v.pki_dir}/etcd-ca.key`,
              ownca_not_after: `+${v.pki_cert_days}d`,
              force: `{{ ${reg}_cert.valid_at is defined and not ${reg}_cert.valid_at.renewal }}`,
              mode: '0644',
            }),
            ON_CONTROLLER,
          ),
        ],
        { when: `not (${current})` },
      ),
    ],
    { when: c.when },
  );
}

/**
 * The controller's etcd client certificate (no common name, no etcd user): the project's tools read
 * etcd's health with it. The controller holds the etcd CA's key anyway, so it gains nothing it
 * could not sign itself; no host gets it. Signed again when it nears expiry.
 */
function controllerEtcdCertificate(v: PkiVars): TaskItem {
  const base = `${v.pki_dir}/etcd-controller`;
  const renew =
    'not (pki_etcd_controller_cert.valid_at is defined and not pki_etcd_controller_cert.expired and pki_etcd_controller_cert.valid_at.renewal)';
  return block("The controller's etcd client certificate", [
    task(
      "Make the controller's etcd client key (once)",
      openssl_privatekey({ path: `${base}.key`, type: 'ECC', curve: 'secp256r1', mode: '0600' }),
      ON_CONTROLLER_ONCE,
    ),
    task(
      "Read the controller's etcd client certificate",
      x509_certificate_info({ path: `${base}.crt`, valid_at: { renewal: `+${v.pki_renew_days}d` } }),
      { ...ON_CONTROLLER_ONCE, register: 'pki_etcd_controller_cert', failed_when: false },
    ),
    task(
      "Describe the controller's etcd client certificate",
      openssl_csr_pipe({
        privatekey_path: `${base}.key`,
        extended_key_usage: CLIENT.csr,
        key_usage: KEY_USAGE.csr,
        use_common_name_for_san: false,
      }),
      { ...ON_CONTROLLER_ONCE, register: 'pki_etcd_controller_csr', changed_when: false, when: renew },
    ),
    task(
      "Sign the controller's etcd client certificate",
      x509_certificate({
        path: `${base}.crt`,
        csr_content: '{{ pki_etcd_controller_csr.csr }}',
        provider: 'ownca',
        ownca_path: `${v.pki_dir}/etcd-ca.crt`,
        ownca_privatekey_path: `${v.pki_dir}/etcd-ca.key`,
        ownca_not_after: `+${v.pki_cert_days}d`,
        force: true,
        mode: '0644',
      }),
      { ...ON_CONTROLLER_ONCE, when: renew },
    ),
  ]);
}

/** The `etcd` task file: the etcd CA, then this host's etcd certificates, signed and installed. */
export function etcdCertificates(v: PkiVars): TaskItem[] {
  const names = "['DNS:' ~ inventory_hostname, 'IP:' ~ ansible_host]";
  return [
    etcdCa(v),
    controllerEtcdCertificate(v),
    etcdCertificate(v, {
      name: 'etcd-client',
      what: 'etcd client certificate',
      altNames: names,
      usage: CLIENT,
      when: 'pki_etcd_client | bool',
    }),
    // The client port's certificate: no common name either, since etcd's gateway connects to its
    // own gRPC server presenting it as a client certificate (so clientAuth, and the etcd CA's).
    etcdCertificate(v, {
      name: 'etcd-server',
      what: 'etcd server certificate',
      altNames: "['DNS:' ~ inventory_hostname, 'DNS:localhost', 'IP:' ~ ansible_host, 'IP:127.0.0.1']",
      usage: PEER,
      when: 'pki_etcd_peer | bool',
    }),
    etcdCertificate(v, {
      name: 'etcd-peer',
      what: 'etcd peer certificate',
      commonName: ETCD_PEER_CN,
      altNames: names,
      usage: PEER,
      when: 'pki_etcd_peer | bool',
    }),
    task(
      'Install the etcd CA certificate',
      copy({
        src: `${v.pki_dir}/etcd-ca.crt`,
        dest: `${v.pki_remote_dir}/etcd-ca.crt`,
        owner: 'root',
        group: 'root',
        mode: '0644',
      }),
      { when: 'pki_etcd_client | bool or pki_etcd_peer | bool' },
    ),
    // The client key: root's tools and Patroni (postgres, in ssl-cert) use it, each with its etcd user.
    task(
      'Install the etcd client certificate and key',
      copy({
        src: `${v.pki_dir}/hosts/{{ inventory_hostname }}.{{ item.src }}`,
        dest: `${v.pki_remote_dir}/{{ item.src }}`,
        owner: 'root',
        group: '{{ item.group }}',
        mode: '{{ item.mode }}',
      }),
      {
        when: 'pki_etcd_client | bool',
        loop: [
          { src: 'etcd-client.crt', group: 'root', mode: '0644' },
          { src: 'etcd-client.key', group: 'ssl-cert', mode: '0640' },
        ],
        no_log: true,
      },
    ),
    // The member's keys: etcd's alone (the package made its user before the roles ran: site.yml's install play).
    task(
      'Install the etcd server and peer certificates and keys',
      copy({
        src: `${v.pki_dir}/hosts/{{ inventory_hostname }}.{{ item.src }}`,
        dest: `${v.pki_remote_dir}/{{ item.src }}`,
        owner: '{{ item.owner }}',
        group: '{{ item.owner }}',
        mode: '{{ item.mode }}',
      }),
      {
        when: 'pki_etcd_peer | bool',
        loop: [
          { src: 'etcd-server.crt', owner: 'root', mode: '0644' },
          { src: 'etcd-server.key', owner: 'etcd', mode: '0600' },
          { src: 'etcd-peer.crt', owner: 'root', mode: '0644' },
          { src: 'etcd-peer.key', owner: 'etcd', mode: '0600' },
        ],
        no_log: true,
      },
    ),
  ];
}
