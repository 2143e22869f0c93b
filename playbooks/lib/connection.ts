// How playbooks reach PostgreSQL: through the virtual IP's HAProxy ports (as clients do), or
// directly on a member, as postgres.
import { defaultOf } from '../../dsl/index.js';
import patroni from '../../roles-src/patroni/role.js';
import { PORTS } from '../../roles-src/ports.js';
import { CA_FILE, TLS_ON } from './tls.js';

// With TLS on (pgha_tls), connections verify the server's certificate against the CA and its name
// (a database host's certificate names the virtual IP too, for connections through HAProxy).
const tlsOptions = {
  ssl_mode: `{{ 'verify-full' if ${TLS_ON} else 'prefer' }}`,
  ca_cert: `{{ '${CA_FILE}' if ${TLS_ON} else omit }}`,
} as const;

/** The superuser, directly on a member: pg_hba admits it from the admin addresses alone. */
export const pgLogin = {
  login_user: 'postgres',
  login_password: '{{ pgha_superuser_password }}',
  ...tlsOptions,
} as const;

/**
 * The operations' user, through HAProxy: it arrives from a member's address, where pg_hba refuses
 * the superuser. It reads the server's state, writes its own tables and closes a WAL segment.
 */
export const operatorLogin = {
  login_user: defaultOf(patroni, 'patroni_operator_user'),
  login_password: '{{ pgha_operator_password }}',
  ...tlsOptions,
} as const;

export const RW_PORT = PORTS.readWrite;
export const RO_PORT = PORTS.readOnly;

/**
 * Where clients connect: the virtual IP, or where the inventory has none, the first database
 * host's own HAProxy.
 */
export const ENTRY_HOST = "{{ pgha_vip | default(hostvars[groups['pg'] | first].ansible_host) }}";
