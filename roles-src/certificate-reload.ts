// A renewed certificate is taken up by state, not by event: each service keeps a copy of each
// certificate it last loaded, and a run that finds one different makes the service load
// it (restart or reload) before remembering it. A run that fails half-way (certificate installed,
// service not yet told) is thus caught up by the next one, which a notify would not be.
import { command, copy, shell, systemd_service, task, type Expr, type Task } from '../dsl/index.js';

export interface CertificateReload {
  /** Prefix of the registered variables (the role's name). */
  role: string;
  /** Jinja test: TLS is on for this role. */
  tlsOn: string;
  /** Folder of the certificates. */
  tlsDir: string | Expr<string>;
  /** The certificates the service loads, file names in tlsDir: a change to any of them counts. */
  certificates: readonly string[];
  /** Folder of the service's copies of what it loaded (`loaded-<certificate>`). */
  loadedDir: string;
  service: string;
  /** restarted (etcd reads its files at start) or reloaded (Patroni and PostgreSQL on SIGHUP). */
  state: 'restarted' | 'reloaded';
  /** One host at a time (etcd keeps its quorum). */
  oneAtATime?: boolean;
  /**
   * Ports on this host's address that must serve the renewed first certificate before it counts as
   * loaded (a reload only asks: Patroni takes SIGHUP up in its next loop), with the STARTTLS
   * protocol openssl speaks first where the port needs one.
   */
  servedOn?: readonly { port: string; starttls?: 'postgres' }[];
}

export function certificateReload(c: CertificateReload): Task[] {
  const compared = `${c.role}_cert_compared`;
  const renewed = `${compared}.results | selectattr('rc', 'equalto', 1) | list | length > 0`;
  const loaded = `${c.loadedDir}/loaded-{{ item }}`;
  return [
    // One read per certificate: cmp answers 0 (the same), 1 (renewed) or 2 (no copy yet: a first run).
    task(
      `Compare the certificates with those ${c.service} last loaded`,
      command({ argv: ['cmp', '-s', `${c.tlsDir}/{{ item }}`, loaded] }),
      {
        loop: [...c.certificates],
        register: compared,
        changed_when: false,
        // Only 0, 1 and 2 are answers; 2 with the certificate itself missing fails at the copy below.
        failed_when: `${compared}.rc not in [0, 1, 2]`,
        // A read: --check runs it too, so the tasks below know what a real run would do.
        check_mode: false,
        when: c.tlsOn,
      },
    ),
    task(
      `Make ${c.service} load a renewed certificate${c.oneAtATime ? ', one host at a time' : ''}`,
      systemd_service({ name: c.service, state: c.state }),
      {
        when: [c.tlsOn, renewed],
        ...(c.oneAtATime ? { throttle: 1 } : {}),
      },
    ),
    ...(c.servedOn ? [servedCheck(c, renewed, c.servedOn)] : []),
    task(
      `Remember the certificates ${c.service} loaded`,
      copy({
        src: `${c.tlsDir}/{{ item.item }}`,
        dest: `${c.loadedDir}/loaded-{{ item.item }}`,
        remote_src: true,
        owner: 'root',
        group: 'root',
        mode: '0644',
      }),
      {
        when: [c.tlsOn, 'item.rc != 0'],
        loop: `{{ ${compared}.results }}`,
        loop_control: { label: '{{ item.item }}' },
      },
    ),
  ];
}

/** Waits until every port serves the first certificate (by serial), so that the copy below tells the truth. */
function servedCheck(c: CertificateReload, renewed: string, ports: NonNullable<CertificateReload['servedOn']>): Task {
  const served = ports
    .map(
      (p) =>
        `[ "$(openssl s_client -connect {{ ansible_host }}:${p.port}${p.starttls ? ` -starttls ${p.starttls}` : ''} </dev/null 2>/dev/null | openssl x509 -noout -serial)" = "$want" ]`,
    )
    .join(' && ');
  const register = `${c.role}_cert_served`;
  return task(
    `Wait until ${c.service} serves the renewed host certificate`,
    shell({
      cmd: `set -o pipefail; want=$(openssl x509 -in ${c.tlsDir}/${c.certificates[0]} -noout -serial) && ${served}`,
      executable: '/bin/bash',
    }),
    {
      when: [c.tlsOn, renewed],
      register,
      until: `${register}.rc == 0`,
      retries: 30,
      delay: 2,
      changed_when: false,
    },
  );
}
