// One query as PostgreSQL's superuser, for the status command and the tests: the stand's TLS
// switch decides the connection's TLS, the secrets file the password; the connection is closed
// after the query, whatever happened.
import pg from 'pg';
import { PORTS } from '../roles-src/ports.js';
import { ensureSecrets } from '../ops/secrets.js';
import { pgSsl } from './tls-client.js';

export async function superuserQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  address: string,
  query: string,
  { port = PORTS.postgres, timeoutMs = 5000 }: { port?: number; timeoutMs?: number } = {},
): Promise<R[]> {
  const c = new pg.Client({
    ssl: pgSsl(),
    host: address,
    port,
    user: 'postgres',
    password: ensureSecrets().pgha_superuser_password,
    database: 'postgres',
    connectionTimeoutMillis: timeoutMs,
  });
  await c.connect();
  try {
    return (await c.query<R>(query)).rows;
  } finally {
    await c.end();
  }
}
