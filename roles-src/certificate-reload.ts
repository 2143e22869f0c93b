// A renewed host certificate is taken up by state, not by event: each service keeps a copy of
// the certificate it last loaded, and a run that finds host.crt different makes the service load
// it (restart or reload) before remembering it. A run that fails half-way (certificate installed,
// service not yet told) is thus caught up by the next one, which a notify would not be.
import { command, copy, shell, systemd_service, task, type Expr, type Task } from '../dsl/index.js';

export interface CertificateReload {
  /** Prefix of the registered variables (the role's name). */
  role: string;
  /** Jinja test: TLS is on for this role. */
  tlsOn: string;
  /** Folder of host.crt. */
  tlsDir: string | Expr<string>;
  /** Where the service's copy of the loaded certificate is kept. */
  loadedCopy: string;
  service: string;
  /** restarted (etcd reads its files at start) or reloaded (Patroni and PostgreSQL on SIGHUP). */
  state: 'restarted' | 'reloaded';
  /** One host at a time (etcd keeps its quorum). */
  oneAtATime?: boolean;
  /**
   * Ports on this host's address that must serve the renewed certificate before it counts as
   * loaded (a reload only asks: Patroni takes SIGHUP up in its next loop), with the STARTTLS
   * protocol openssl speaks first where the port needs one.
   */
  servedOn?: readonly { port: string; starttls?: 'postgres' }[];
}

export function certificateReload(c: CertificateReload): Task[] {
  const compared = `${c.role}_cert_compared`;
  return [
    // One read for both files: cmp answers 0 (the same), 1 (renewed) or 2 (no copy yet: a first run).
    task(
      `Compare the host certificate with the one ${c.service} last loaded`,
      command({ argv: ['cmp', '-s', `${c.tlsDir}/host.crt`, c.loadedCopy] }),
      {
        register: compared,
        changed_when: false,
        // Only 0, 1 and 2 are answers; 2 with host.crt itself missing fails at the copy below.
        failed_when: `${compared}.rc not in [0, 1, 2]`,
        // A read: --check runs it too, so the tasks below know what a real run would do.
        check_mode: false,
        when: c.tlsOn,
      },
    ),
    task(
      `Make ${c.service} load a renewed host certificate${c.oneAtATime ? ', one host at a time' : ''}`,
      systemd_service({ name: c.service, state: c.state }),
      {
        when: [c.tlsOn, `${compared}.rc == 1`],
        ...(c.oneAtATime ? { throttle: 1 } : {}),
      },
    ),
    ...(c.servedOn ? [servedCheck(c, compared, c.servedOn)] : []),
    task(
      `Remember the certificate ${c.service} loaded`,
      copy({
        src: `${c.tlsDir}/host.crt`,
        dest: c.loadedCopy,
        remote_src: true,
        owner: 'root',
        group: 'root',
        mode: '0644',
      }),
      { when: [c.tlsOn, `${compared}.rc != 0`] },
    ),
  ];
}

/** Waits until every port serves host.crt (by serial), so that the copy below tells the truth. */
function servedCheck(c: CertificateReload, compared: string, ports: NonNullable<CertificateReload['servedOn']>): Task {
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
      cmd: `set -o pipefail; want=$(openssl x509 -in ${c.tlsDir}/host.crt -noout -serial) && ${served}`,
      executable: '/bin/bash',
    }),
    {
      when: [c.tlsOn, `${compared}.rc == 1`],
      register,
      until: `${register}.rc == 0`,
      retries: 30,
      delay: 2,
      changed_when: false,
    },
  );
}
