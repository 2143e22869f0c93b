// How playbooks reach PostgreSQL: through HAProxy on ns, or directly on a member, as postgres.
import { PORTS } from '../../roles-src/ports.js';

// With TLS on (pgha_tls), connections verify the server's certificate against the CA; not its
// name, since through HAProxy the address is the proxy's.
export const pgLogin = {
  login_user: 'postgres',
  login_password: '{{ pgha_superuser_password }}',
  ssl_mode: "{{ 'verify-ca' if pgha_tls | default(true) | bool else 'prefer' }}",
  ca_cert: "{{ '/etc/pgha/tls/ca.crt' if pgha_tls | default(true) | bool else omit }}",
} as const;

export const RW_PORT = PORTS.readWrite;
export const RO_PORT = PORTS.readOnly;
