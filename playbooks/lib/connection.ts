// How playbooks reach PostgreSQL: through HAProxy on ns, or directly on a member, as postgres.
export const pgLogin = {
  login_user: 'postgres',
  login_password: '{{ pgha_superuser_password }}',
} as const;

export const RW_PORT = 5000;
export const RO_PORT = 5001;
