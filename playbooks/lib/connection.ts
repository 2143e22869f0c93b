// How playbooks reach PostgreSQL: through the virtual IP's HAProxy ports (as clients do), or
// directly on a member, as postgres.
import { PORTS } from '../../roles-src/ports.js';
import { CA_FILE, TLS_ON } from './tls.js';

// With TLS on (pgha_tls), connections verify the server's certificate against the CA and its name
// (a database host's certificate names the virtual IP too, for connections through HAProxy).
export const pgLogin = {
  login_user: 'postgres',
  login_password: '{{ pgha_superuser_password }}',
  ssl_mode: `{{ 'verify-full' if ${TLS_ON} else 'prefer' }}`,
  ca_cert: `{{ '${CA_FILE}' if ${TLS_ON} else omit }}`,
} as const;

export const RW_PORT = PORTS.readWrite;
export const RO_PORT = PORTS.readOnly;

/**
 * Where clients connect: the virtual IP, or where the inventory has none, the first database
 * host's own HAProxy.
 */
export const ENTRY_HOST = "{{ pgha_vip | default(hostvars[groups['pg'] | first].ansible_host) }}";
