// Helpers for the operation tests: the cluster as Patroni reports it, SQL on one member, and a
// scratch copy of the project with another parameter source compiled to its own out/.
import { PORTS } from '../../roles-src/ports.js';
import { isReplica, readCluster, type Member } from '../../stand/patroni-client.js';
import { dbHosts } from '../../stand/ha/cluster-view.js';
import { ensureSecrets, type Secrets } from '../../ops/secrets.js';
import path from 'node:path';
import { expect } from 'vitest';
import { isHealed, waitUntil } from '../../stand/ha/cluster-view.js';
import { compile, edit, ROOT, scratchProject } from './project.js';
import { addressOf, opsCli, playbook, standCli } from './stand.js';
import { loginQuery } from '../../stand/pg-client.js';

/**
 * The cluster the suite deployed, built and up: it heals by itself after the tests before, so
 * site.yml runs only when it is not there (a stand test file run on its own).
 */
export async function ensureDeployedCluster(): Promise<void> {
  expect((await compile(ROOT)).code).toBe(0);
  expect((await opsCli('secrets')).code).toBe(0);
  expect((await standCli('up')).code).toBe(0);
  if (!(await waitUntil(isHealed, 120_000))) {
    const r = await playbook('site');
    expect(r.code, r.output.slice(-3000)).toBe(0);
  }
}

/** The cluster's passwords, as the project's commands read them (an encrypted file included). */
export const secrets = (): Secrets => ensureSecrets();

/** A member as Patroni's /cluster reports it: the type the status command reads. */
export type PatroniMember = Member;
export { isReplica };

/** The members, as the first database host of the running layout that answers lists them. */
export async function members(): Promise<PatroniMember[]> {
  const cluster = await readCluster(dbHosts());
  if (!cluster.members.length) throw new Error(`no member answers: ${cluster.errors.join('; ')}`);
  return cluster.members;
}

export const leaderName = async () => (await members()).find((m) => m.role === 'leader')?.name;

export async function sql(
  host: string,
  query: string,
  port: number = PORTS.postgres,
): Promise<Record<string, unknown>[]> {
  // Through the virtual IP (HAProxy) as the operations' user: pg_hba refuses the superuser there.
  return loginQuery(host === 'vip' ? 'operator' : 'superuser', addressOf(host), query, { port });
}

export const startTimes = async () =>
  Object.fromEntries(
    await Promise.all(
      ['pg01', 'pg02', 'pg03'].map(
        async (h) => [h, String((await sql(h, 'SELECT pg_postmaster_start_time()::text AS t'))[0]!.t)] as const,
      ),
    ),
  );

/** Waits until one leader and `replicaCount` replicas stream from it on one timeline. */
export async function waitHealthy(timeoutSeconds = 120, replicaCount = 2): Promise<PatroniMember[]> {
  const until = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    try {
      const ms = await members();
      const leader = ms.find((m) => m.role === 'leader');
      const replicas = ms.filter((m) => isReplica(m) && ['running', 'streaming'].includes(m.state) && m.lag === 0);
      if (
        leader &&
        ms.length === replicaCount + 1 &&
        replicas.length === replicaCount &&
        new Set(ms.map((m) => m.timeline)).size === 1
      ) {
        const receivers = await Promise.all(
          replicas.map((r) => sql(r.name, 'SELECT status FROM pg_stat_wal_receiver')),
        );
        if (receivers.every((rows) => rows[0]?.status === 'streaming')) return ms;
      }
    } catch {
      /* not yet */
    }
    if (Date.now() > until)
      throw new Error(
        `cluster not healthy after ${timeoutSeconds} s: ${JSON.stringify(await members().catch(() => []))}`,
      );
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Compiles a scratch project whose parameter source has `edits` applied; returns its out/. */
export async function outWithParameters(edits: [string | RegExp, string][]): Promise<string> {
  const dir = scratchProject();
  for (const [from, to] of edits) edit(dir, 'roles-src/patroni/postgresql-parameters.ts', from, to);
  const r = await compile(dir);
  if (r.code !== 0) throw new Error(r.stderr);
  return path.join(dir, 'out');
}
