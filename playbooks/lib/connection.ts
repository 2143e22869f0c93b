// How playbooks reach PostgreSQL: through HAProxy on ns, or directly on a member, as postgres.
import { PORTS } from '../../roles-src/ports.js';

export const pgLogin = {
  login_user: 'postgres',
  login_password: '{{ pgha_superuser_password }}',
} as const;

export const RW_PORT = PORTS.readWrite;
export const RO_PORT = PORTS.readOnly;
