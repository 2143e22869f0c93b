// Typed operations on the deployed cluster: switchover, failover and parameter changes, each
// checked against what Patroni, PostgreSQL and HAProxy report, with a client writing throughout.
import { PORTS } from '../../roles-src/ports.js';
import { stand } from '../../inventories/stand.js';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../stand/ha/cluster-view.js';
import { WriteProbe } from '../../stand/write-probe.js';
import {
  ensureDeployedCluster,
  isReplica,
  members,
  leaderName,
  outWithParameters,
  sql,
  startTimes,
  waitHealthy,
} from '../helpers/operations.js';
import { addressOf, etcdctl, onHost, playbook, recap, standCli } from '../helpers/stand.js';

const rwAddress = async () =>
  String((await sql('vip', 'SELECT host(inet_server_addr()) AS a', PORTS.readWrite).catch(() => [{ a: '' }]))[0]!.a);
/** The host of etcd's leader, as the members report it. */
async function etcdLeaderHost(): Promise<string | undefined> {
  const r = await onHost('pg01', etcdctl(`127.0.0.1:${PORTS.etcdClient}`, 'endpoint status --cluster -w simple'));
  const line = r.stdout.split('\n').find((l) => l.split(', ')[4] === 'true');
  const address = line && new URL(line.split(', ')[0]!).hostname;
  return ['pg01', 'pg02', 'pg03'].find((h) => addressOf(h) === address);
}
const changedTotal = (output: string) => Object.values(recap(output)).reduce((n, c) => n + (c.changed ?? 0), 0);

describe.sequential('operations on the cluster', () => {
  beforeAll(async () => {
    await ensureDeployedCluster();
    await waitHealthy();
  });

  it('switches over to the named synchronous standby three times; replication and HAProxy follow', async () => {
    const leaders = [(await leaderName())!];
    for (let i = 0; i < 3; i++) {
      // Right after members restart, Patroni names the synchronous standby within a loop or two.
      const candidate = await syncStandby();
      const r = await playbook('switchover', '-e', `switchover_candidate=${candidate}`);
      expect(r.code, r.output.slice(-3000)).toBe(0);
      expect(r.output).toMatch(new RegExp(`Switchover from pg0\\d to ${candidate} done in [\\d.]+ s`));
      expect(await leaderName()).toBe(candidate);
      expect(await rwAddress()).toBe(addressOf(candidate));
      // The etcd leader placement check moves etcd's leader off the new primary's host within
      // a few runs of its 5 s timer (it may have been there or not; it must not stay).
      const apart = await waitUntil(async () => {
        const host = await etcdLeaderHost();
        return host !== undefined && host !== candidate;
      }, 20_000);
      expect(apart, `etcd's leader still on ${candidate}, the primary's host, 20 s after the switchover`).toBeDefined();
      leaders.push(candidate);
      await waitHealthy();
      const check = await playbook('replication-check');
      expect(check.code, check.output.slice(-3000)).toBe(0);
    }
    expect(new Set(leaders.slice(0, 2)).size).toBe(2);
  });

  it("moves etcd's leader off the primary's host when it lands there, and the check's unit reports success", async () => {
    await waitHealthy();
    const primary = (await leaderName())!;
    const list = await onHost('pg01', etcdctl(`127.0.0.1:${PORTS.etcdClient}`, 'member list -w simple'));
    const id = list.stdout
      .split('\n')
      .map((l) => l.split(', '))
      .find((f) => f[2] === primary)?.[0];
    expect(id, list.stdout).toBeDefined();
    const all = ['pg01', 'pg02', 'pg03']
      .map((h) => `${addressOf(h)}:${PORTS.etcdClient}`)
      .join(`,${stand.tls ? 'https' : 'http'}://`);
    const since = (await onHost(primary, 'date +%s')).stdout.trim();
    const moved = await onHost('pg01', etcdctl(all, `move-leader ${id!}`));
    expect(moved.code, moved.stderr).toBe(0);
    // The check's timer (every 5 s) may move it away again before the next read: that it was on
    // the primary's host is what the unit's journal line below says.
    const apart = await waitUntil(async () => {
      const host = await etcdLeaderHost();
      return host !== undefined && host !== primary;
    }, 20_000);
    expect(apart, `etcd's leader still on ${primary}, the primary's host, 20 s after it was put there`).toBeDefined();
    const journal = await onHost(
      primary,
      `journalctl -u pgha-etcd-leader-away.service --since @${since} -o cat --no-pager`,
    );
    expect(journal.stdout).toContain(`moved etcd leadership from ${primary} to member`);
    for (const h of ['pg01', 'pg02', 'pg03'])
      expect((await onHost(h, 'systemctl show -p Result --value pgha-etcd-leader-away.service')).stdout.trim(), h).toBe(
        'success',
      );
  });

  it('shows a failing etcd leader placement check in npm run status, with its reason', async () => {
    const victim = (await members()).find((m) => m.role === 'replica')!.name;
    const stopped = await onHost(victim, 'systemctl stop patroni');
    expect(stopped.code, stopped.stderr).toBe(0);
    try {
      // The timer runs the check every 5 s: its next run fails and says why.
      type Entry = { name: string; leaderAway: string; leaderAwayError?: string };
      let seen: Entry | undefined;
      const failed = await waitUntil(async () => {
        const r = await standCli('cluster-status', '--json');
        seen = (JSON.parse(r.stdout) as { entry: Entry[] }).entry.find((e) => e.name === victim);
        return seen?.leaderAway === 'exit-code';
      }, 30_000);
      expect(
        failed,
        `status still shows ${JSON.stringify(seen)} 30 s after Patroni stopped on ${victim}`,
      ).toBeDefined();
      expect(seen?.leaderAwayError).toMatch(/^pgha-etcd-leader-away: cannot read this member's role from https?:\/\//);
    } finally {
      await onHost(victim, 'systemctl start patroni');
    }
    await waitHealthy();
  });

  it('refuses a switchover to an asynchronous replica in synchronous mode, naming the synchronous standby', async () => {
    await waitHealthy();
    const ms = await members();
    const leader = ms.find((m) => m.role === 'leader')!.name;
    const sync = ms.find((m) => m.role === 'sync_standby')!.name;
    const asyncReplica = ms.find((m) => m.role === 'replica')!.name;
    const r = await playbook('switchover', '-e', `switchover_candidate=${asyncReplica}`);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(
      new RegExp(
        `switchover refused: candidate ${asyncReplica} is an asynchronous replica; .*synchronous standby \\(${sync}\\)`,
      ),
    );
    expect(changedTotal(r.output)).toBe(0);
    expect(await leaderName()).toBe(leader);
  });

  it('switches over to the best replica when none is named', async () => {
    const before = await leaderName();
    const r = await playbook('switchover');
    expect(r.code, r.output.slice(-3000)).toBe(0);
    const after = await leaderName();
    expect(after).not.toBe(before);
    expect(await rwAddress()).toBe(addressOf(after!));
    await waitHealthy();
  });

  it('refuses a bad candidate before changing anything, naming it and the reason', async () => {
    const leader = (await leaderName())!;
    const cases: [string, RegExp][] = [
      ['pg09', /switchover_candidate must be .* got 'pg09'/],
      [leader, new RegExp(`candidate ${leader} is the leader already`)],
    ];
    for (const [candidate, message] of cases) {
      const r = await playbook('switchover', '-e', `switchover_candidate=${candidate}`);
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(message);
      expect(changedTotal(r.output)).toBe(0);
    }
    const lag = await playbook('switchover', '-e', 'switchover_max_lag_bytes=lots');
    expect(lag.code).not.toBe(0);
    expect(lag.output).toMatch(/switchover_max_lag_bytes must be a whole number of bytes, got 'lots'/);
    expect(await leaderName()).toBe(leader);
  });

  it('refuses switchover and config while a member is down, and failover while the leader is healthy', async () => {
    const replica = (await members()).find(isReplica)!.name;
    const leader = (await leaderName())!;
    expect((await onHost(replica, 'systemctl stop patroni')).code).toBe(0);
    try {
      for (const op of ['switchover', 'config']) {
        const r = await playbook(op);
        expect(r.code, op).not.toBe(0);
        expect(r.output).toMatch(new RegExp(`${op} refused: ${replica} not running`));
        expect(changedTotal(r.output)).toBe(0);
      }
    } finally {
      expect((await onHost(replica, 'systemctl start patroni')).code).toBe(0);
    }
    await waitHealthy();
    const r = await playbook('failover', '-e', `failover_candidate=${replica}`);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(new RegExp(`failover refused: the leader ${leader} is healthy`));
    expect(await leaderName()).toBe(leader);
  });

  it('applies a reload-only change to every member without restarting any', async () => {
    const before = await startTimes();
    const out = await outWithParameters([["work_mem: '4MB'", "work_mem: '6MB'"]]);
    const r = await playbook(path.join(out, 'config.yml'));
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(r.output).toMatch(/work_mem: 4MB -> 6MB \(reload\)/);
    for (const h of ['pg01', 'pg02', 'pg03'])
      expect((await sql(h, "SELECT current_setting('work_mem') AS v"))[0]!.v, h).toBe('6MB');
    expect(await startTimes()).toEqual(before);
  });

  it('applies a restart-needing change one member at a time, leader last, losing no acknowledged write', async () => {
    const before = await startTimes();
    const leader = (await leaderName())!;
    const out = await outWithParameters([
      ["work_mem: '4MB'", "work_mem: '6MB'"],
      ['max_connections: 100', 'max_connections: 120'],
    ]);
    const probe = new WriteProbe({
      host: addressOf('vip'),
      port: PORTS.readWrite,
    });
    await probe.start();
    const r = await playbook(path.join(out, 'config.yml'));
    const report = await probe.stop();
    console.log(`restart-needing change: ${JSON.stringify(report)}`);
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(report.lost).toBe(0);
    expect(report.acknowledged).toBeGreaterThan(0);
    const after = await startTimes();
    for (const h of ['pg01', 'pg02', 'pg03']) {
      expect(after[h], h).not.toBe(before[h]);
      const rows = await sql(
        h,
        "SELECT current_setting('max_connections') AS v, (SELECT count(*)::int FROM pg_settings WHERE pending_restart) AS pending",
      );
      expect(rows[0], h).toEqual({ v: '120', pending: 0 });
    }
    // The old leader restarted last; each member once (the playbook's own account).
    for (const h of ['pg01', 'pg02', 'pg03'].filter((x) => x !== leader))
      expect(after[leader]! > after[h]!, h).toBe(true);
    // Each entry of the playbook's list is quoted: 'pg01' or 'pg02 (leader, after a switchover to pg01)'.
    const restarted = [...(/Restarted: \[([^\]]*)\]/.exec(r.output)?.[1] ?? '').matchAll(/'(pg\d+)[^']*'/g)].map(
      (m) => m[1]!,
    );
    expect(restarted.sort()).toEqual(['pg01', 'pg02', 'pg03']);
    expect(await leaderName()).not.toBe(leader);
    await waitHealthy();

    const again = await playbook(path.join(out, 'config.yml'));
    expect(again.code).toBe(0);
    expect(changedTotal(again.output)).toBe(0);
    expect(again.output).toContain('No parameter differs from the source');
    expect(await startTimes()).toEqual(after);
  });

  it("brings the cluster back to the project's parameter source", async () => {
    const r = await playbook('config');
    expect(r.code, r.output.slice(-3000)).toBe(0);
    for (const h of ['pg01', 'pg02', 'pg03'])
      expect((await sql(h, "SELECT current_setting('max_connections') AS v"))[0]!.v).toBe('100');
    await waitHealthy();
  });

  /** The synchronous standby's name, waiting up to 60 s for Patroni to name one. */
  async function syncStandby(): Promise<string> {
    const until = Date.now() + 60_000;
    for (;;) {
      const sync = (await members().catch(() => [])).find((m) => m.role === 'sync_standby');
      if (sync) return sync.name;
      if (Date.now() > until)
        throw new Error(`no synchronous standby after 60 s: ${JSON.stringify(await members().catch(() => []))}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  it("fails over to a named replica when the leader's Patroni is stopped; the old leader rejoins", async () => {
    const old = (await leaderName())!;
    // The synchronous standby: the one member a failover in synchronous mode loses nothing with.
    // Right after members restart, Patroni names the synchronous standby within a loop or two.
    const candidate = await syncStandby();
    expect((await onHost(old, 'systemctl stop patroni')).code).toBe(0);
    // Patroni may elect a member by itself before the playbook runs: allow moving away from it.
    const r = await playbook(
      'failover',
      '-e',
      `failover_candidate=${candidate}`,
      '-e',
      'failover_allow_healthy_leader=true',
    );
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(await leaderName()).toBe(candidate);
    expect(await rwAddress()).toBe(addressOf(candidate));
    expect((await onHost(old, 'systemctl start patroni')).code).toBe(0);
    const healthy = await waitHealthy(180);
    expect(isReplica(healthy.find((m) => m.name === old)!)).toBe(true);
    const receiver = await sql(old, 'SELECT status, sender_host FROM pg_stat_wal_receiver');
    expect(receiver[0]).toEqual({ status: 'streaming', sender_host: addressOf(candidate) });
  });

  it('lets root run patronictl with no -c on a database host', async () => {
    const r = await onHost('pg01', 'patronictl list');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Cluster: pgha/);
  });
});
