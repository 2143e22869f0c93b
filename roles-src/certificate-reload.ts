// A renewed host certificate is taken up by state, not by event: each service keeps a copy of
// the certificate it last loaded, and a run that finds host.crt different makes the service load
// it (restart or reload) before remembering it. A run that fails half-way (certificate installed,
// service not yet told) is thus caught up by the next one, which a notify would not be.
import { copy, stat, systemd_service, task, type Expr, type Task } from '../dsl/index.js';

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
}

export function certificateReload(c: CertificateReload): Task[] {
  const now = `${c.role}_cert_now`;
  const loaded = `${c.role}_cert_loaded`;
  return [
    task('Read the installed host certificate', stat({ path: `${c.tlsDir}/host.crt`, get_checksum: true }), {
      register: now,
      when: c.tlsOn,
    }),
    task(`Read the certificate ${c.service} last loaded`, stat({ path: c.loadedCopy, get_checksum: true }), {
      register: loaded,
      when: c.tlsOn,
    }),
    task(
      `Make ${c.service} load a renewed host certificate${c.oneAtATime ? ', one host at a time' : ''}`,
      systemd_service({ name: c.service, state: c.state }),
      {
        when: [c.tlsOn, `${loaded}.stat.exists`, `${now}.stat.checksum != ${loaded}.stat.checksum`],
        ...(c.oneAtATime ? { throttle: 1 } : {}),
      },
    ),
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
      { when: c.tlsOn },
    ),
  ];
}
