// PostgreSQL clients of the status command, the benchmarks and the tests: the stand's TLS switch
// decides the connection's TLS, the secrets file the password. The superuser connects directly to
// a member (pg_hba admits it from the controller's admin address alone); through HAProxy, whose
// connections come from a member's address, the operations' user does.
import pg from 'pg';
import { PORTS } from '../roles-src/ports.js';
import { defaultOf } from '../dsl/index.js';
import patroni from '../roles-src/patroni/role.js';
import { ensureSecrets } from '../ops/secrets.js';
import { pgSsl } from './tls-client.js';

export type Login = 'superuser' | 'operator';

export const OPERATOR_USER = defaultOf(patroni, 'patroni_operator_user');

/** A client (not yet connected) as `login` to the postgres database at `host:port`. */
export function pgClient(
  login: Login,
  host: string,
  port: number,
  options: { connectionTimeoutMillis?: number; query_timeout?: number } = {},
): pg.Client {
  const secrets = ensureSecrets();
  return new pg.Client({
    ssl: pgSsl(),
    host,
    port,
    user: login === 'superuser' ? 'postgres' : OPERATOR_USER,
    password: login === 'superuser' ? secrets.pgha_superuser_password : secrets.pgha_operator_password,
    database: 'postgres',
    connectionTimeoutMillis: 5000,
    ...options,
  });
}

/** One query as `login`; the connection is closed after the query, whatever happened. */
export async function loginQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  login: Login,
  address: string,
  query: string,
  { port = PORTS.postgres, timeoutMs = 5000 }: { port?: number; timeoutMs?: number } = {},
): Promise<R[]> {
  const c = pgClient(login, address, port, { connectionTimeoutMillis: timeoutMs });
  await c.connect();
  try {
    return (await c.query<R>(query)).rows;
  } finally {
    await c.end();
  }
}

/** One query as the superuser, directly on a member. */
export const superuserQuery = <R extends pg.QueryResultRow = Record<string, unknown>>(
  address: string,
  query: string,
  options: { port?: number; timeoutMs?: number } = {},
): Promise<R[]> => loginQuery<R>('superuser', address, query, options);
