// A larger cluster from the stand definition's second layout: the running three-host stand grows
// to five database hosts (etcd stays on pg01-pg03, a group of its own), site.yml deploys them,
// and the operations and a leader loss work on five members.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTS } from '../../roles-src/ports.js';
import { runScenario } from '../../stand/ha/run-scenario.js';
import { scenarioNamed } from '../../stand/ha/scenarios.js';
import { isReplica, leaderName, members, sql, waitHealthy } from '../helpers/operations.js';
import { compile, ROOT } from '../helpers/project.js';
import { addressOf, etcdctl, onHost, playbook, recap, standCli } from '../helpers/stand.js';
import { stand } from '../../inventories/stand.js';
import { HOST_TLS_DIR } from '../../playbooks/lib/tls.js';

const FIVE = ['-i', path.join(ROOT, 'out/inventory/local-five.yml')];
const EXTRA = ['pg04', 'pg05'];
const figures: string[] = [];

describe.sequential('a five-database-host cluster (stand layout five)', () => {
  beforeAll(async () => {
    expect((await compile(ROOT)).code).toBe(0);
    expect((await standCli('up', '--layout', 'default')).code).toBe(0);
    await waitHealthy(180);
  });

  // The stand stays in layout five: the files after this one (Molecule's stand scenario, then the
  // plaintext cluster) take it down and start from blank hosts.
  afterAll(() => {
    console.log(figures.join('\n'));
  });

  it('grows the stand to five database hosts and deploys them with site.yml', async () => {
    const up = await standCli('up', '--layout', 'five');
    expect(up.code, up.stderr).toBe(0);
    const status = JSON.parse((await standCli('status', '--json')).stdout) as {
      hosts: { name: string; state: string }[];
    };
    expect(status.hosts.map((h) => `${h.name} ${h.state}`)).toEqual([
      'ns up',
      'bk up',
      'pg01 up',
      'pg02 up',
      'pg03 up',
      'pg04 up',
      'pg05 up',
    ]);
    const r = await playbook('site', ...FIVE);
    expect(r.code, r.output.slice(-3000)).toBe(0);
    const counts = recap(r.output);
    for (const h of EXTRA) expect(counts[h]?.changed, h).toBeGreaterThan(0);
    figures.push(`[five-hosts] site.yml adding pg04 and pg05 to the running cluster: ${r.seconds.toFixed(0)} s`);
    await waitHealthy(300, 4);
    // etcd stays a three-member cluster on pg01-pg03; pg04 and pg05 run none.
    const etcd = await onHost('pg01', etcdctl(`${addressOf('pg01')}:${PORTS.etcdClient}`, 'member list'));
    expect(
      etcd.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(', ')[2])
        .sort(),
    ).toEqual(['pg01', 'pg02', 'pg03']);
    expect((await onHost('pg04', 'systemctl is-active etcd')).stdout.trim()).not.toBe('active');
    // The new hosts got certificates of their own, with their names and addresses.
    if (stand.tls)
      for (const h of EXTRA) {
        const san = await onHost(h, `openssl x509 -in ${HOST_TLS_DIR}/host.crt -noout -ext subjectAltName`);
        expect(san.stdout).toContain(`DNS:${h}`);
        expect(san.stdout).toContain(`IP Address:${addressOf(h)}`);
      }
  });

  it('passes the replication check on every replica', async () => {
    const r = await playbook('replication-check', ...FIVE);
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(r.output.match(/\(replica\) reads pasha, vasya, petya/g)).toHaveLength(4);
  });

  it('shows five members in npm run status, and HAProxy sends reads to four replicas', async () => {
    const r = await standCli('cluster-status', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      members: { name: string; role: string; state: string }[];
      backends: { lb: string; proxy: string; server: string; status: string }[];
      entry: { name: string; holdsVip: boolean }[];
    };
    expect(s.members.map((m) => m.name).sort()).toEqual(['pg01', 'pg02', 'pg03', 'pg04', 'pg05']);
    expect(s.members.filter((m) => m.role === 'leader')).toHaveLength(1);
    expect(s.members.filter((m) => isReplica(m) && m.state === 'streaming')).toHaveLength(4);
    // Every database host runs an HAProxy with the same view; one of them holds the virtual IP.
    for (const lb of EXTRA.concat(['pg01', 'pg02', 'pg03'])) {
      const up = (proxy: string) => s.backends.filter((b) => b.lb === lb && b.proxy === proxy && b.status === 'UP');
      expect(up('postgres_rw'), lb).toHaveLength(1);
      expect(up('postgres_ro'), lb).toHaveLength(4);
    }
    expect(s.entry.filter((e) => e.holdsVip)).toHaveLength(1);
  });

  it('switches over to the synchronous standby; the other replicas follow the new leader', async () => {
    const ms = await members();
    const old = ms.find((m) => m.role === 'leader')!.name;
    const candidate = ms.find((m) => m.role === 'sync_standby')!.name;
    const r = await playbook('switchover', ...FIVE, '-e', `switchover_candidate=${candidate}`);
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(await leaderName()).toBe(candidate);
    const healthy = await waitHealthy(180, 4);
    expect(isReplica(healthy.find((m) => m.name === old)!)).toBe(true);
    for (const m of healthy.filter(isReplica)) {
      const receiver = await sql(m.name, 'SELECT sender_host FROM pg_stat_wal_receiver');
      expect(receiver[0]?.sender_host, m.name).toBe(addressOf(candidate));
    }
  });

  it('fails over by itself when the leader host is lost, losing no acknowledged write', async () => {
    const r = await runScenario(scenarioNamed('leader-kill'), (line) => {
      figures.push(`[five-hosts] ${line}`);
    });
    expect(r.lost).toBe(0);
    expect(r.splitBrain).toEqual([]);
    expect(r.leaderAfter).toBeDefined();
    expect(r.leaderAfter).not.toBe(r.before.leader);
    expect(r.healSeconds).toBeDefined();
    await waitHealthy(180, 4);
  });
});
