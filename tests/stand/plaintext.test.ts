// The other side of the TLS switch: the cluster deployed fresh with `pgha_tls: false` works end to
// end in plaintext. The inventory is the local stand's with that one variable changed, as a user's
// inventory would set it (the playbooks read it at run time). Runs last: it needs a stand of its own
// (a TLS cluster is not switched to plaintext in place) and leaves it for the suite to take down.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTS } from '../../roles-src/ports.js';
import { HOST_TLS_DIR } from '../../playbooks/lib/tls.js';
import { request } from '../../stand/tls-client.js';
import { compile, ROOT } from '../helpers/project.js';
import { OPERATOR_USER } from '../../stand/pg-client.js';
import { addressOf, onHost, opsCli, playbook, psqlOnHost, recap, standCli } from '../helpers/stand.js';
import { secrets } from '../helpers/operations.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-plaintext-'));
const inventory = path.join(dir, 'local-plaintext.yml');

/** The members as Patroni's REST API reports them, over plain HTTP. */
async function members(): Promise<{ name: string; role: string; state: string }[]> {
  const r = await request(`http://${addressOf('pg01')}:${PORTS.patroniRest}/cluster`, { timeoutMs: 3000 });
  expect(r.status).toBe(200);
  return ((await r.json()) as { members: { name: string; role: string; state: string }[] }).members;
}

const leader = async () => (await members()).find((m) => m.role === 'leader')?.name;

describe.sequential('the cluster with TLS off (pgha_tls: false)', () => {
  beforeAll(async () => {
    expect((await compile(ROOT)).code).toBe(0);
    expect((await opsCli('secrets')).code).toBe(0);
    const inv = YAML.parse(fs.readFileSync(path.join(ROOT, 'out/inventory/local.yml'), 'utf8')) as {
      all: { vars: Record<string, unknown> };
    };
    inv.all.vars.pgha_tls = false;
    fs.writeFileSync(inventory, YAML.stringify(inv));
    expect((await standCli('down')).code).toBe(0);
    // The default layout: the stand may last have run in layout five.
    expect((await standCli('up', '--layout', 'default')).code).toBe(0);
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('deploys with site.yml, makes no certificates, and a second run changes nothing', async () => {
    const first = await playbook('site', '-i', inventory);
    expect(first.code, first.output.slice(-3000)).toBe(0);
    console.log(`figures: ${JSON.stringify({ plaintextFreshDeploySeconds: first.seconds })}`);
    for (const h of ['ns', 'bk', 'pg01', 'pg02', 'pg03'])
      expect((await onHost(h, `test -e ${HOST_TLS_DIR}`)).code, `${h}: ${HOST_TLS_DIR}`).not.toBe(0);
    const second = await playbook('site', '-i', inventory);
    expect(second.code, second.output.slice(-3000)).toBe(0);
    console.log(`figures: ${JSON.stringify({ plaintextIdempotentRunSeconds: second.seconds })}`);
    for (const [host, c] of Object.entries(recap(second.output))) expect(c.changed, host).toBe(0);
  });

  it('serves etcd, the REST API and PostgreSQL in plaintext', async () => {
    // As root administers it (etcd's root user: authentication is on without TLS too).
    const health = await onHost(
      'pg01',
      `/usr/local/sbin/pgha-etcdctl --endpoints=http://${addressOf('pg02')}:${PORTS.etcdClient} endpoint health`,
    );
    expect(health.code, health.stderr).toBe(0);
    const ms = await members();
    expect(ms.filter((m) => m.role === 'leader')).toHaveLength(1);
    expect(ms.filter((m) => m.state === 'streaming')).toHaveLength(2);
    // A replica host connects to another member without TLS: pg_hba has `host`, not `hostssl`.
    const psql = await psqlOnHost('pg02', `host=${addressOf('pg01')} sslmode=disable`, 'select 1');
    expect(psql.code, psql.stderr).toBe(0);
    expect(psql.stdout.trim()).toBe('1');
    // Through HAProxy's read-write port, a plaintext client reaches the leader.
    const client = new pg.Client({
      ssl: false,
      host: addressOf('vip'),
      port: PORTS.readWrite,
      user: OPERATOR_USER,
      password: secrets().pgha_operator_password,
      database: 'postgres',
      connectionTimeoutMillis: 5000,
    });
    await client.connect();
    try {
      const rows = (
        await client.query('SELECT pg_is_in_recovery() AS r, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
      ).rows as { r: boolean; ssl: boolean }[];
      expect(rows[0]).toEqual({ r: false, ssl: false });
    } finally {
      await client.end();
    }
  });

  it('passes the replication check and switches over', async () => {
    const check = await playbook('replication-check', '-i', inventory);
    expect(check.code, check.output.slice(-3000)).toBe(0);
    const before = await leader();
    const r = await playbook('switchover', '-i', inventory);
    expect(r.code, r.output.slice(-3000)).toBe(0);
    const after = await leader();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The etcd leader placement check works in plaintext too: its unit succeeds on every host.
    await new Promise((r) => setTimeout(r, 6000));
    for (const h of ['pg01', 'pg02', 'pg03'])
      expect((await onHost(h, 'systemctl show -p Result --value pgha-etcd-leader-away.service')).stdout.trim(), h).toBe(
        'success',
      );
  });
});
