// Faults on the deployed cluster, with a client writing through the virtual IP's read-write port,
// every member sampled directly and every host's hold of the virtual IP sampled from inside: in
// synchronous mode no acknowledged write is lost, two members never acknowledge writes at once,
// two connected hosts never answer for the virtual IP, and the cluster heals by itself. Then a host
// whose disk is lost comes back through site.yml alone.
import { PORTS } from '../../roles-src/ports.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMembers, roles } from '../../stand/ha/cluster-view.js';
import { HEAL_BOUND_SECONDS, runScenario, waitHealed, type ScenarioResult } from '../../stand/ha/run-scenario.js';
import { scenarioNamed } from '../../stand/ha/scenarios.js';
import { addressOf, etcdctl, onHost, playbook, recap, standCli } from '../helpers/stand.js';
import { execa } from 'execa';
import { ensureDeployedCluster, sql } from '../helpers/operations.js';

const log = (line: string) => {
  console.log(`[faults] ${line}`);
};

/** The WAL segment the leader writes now, through the virtual IP. */
async function leaderWalSegment(): Promise<string> {
  const rows = await sql('vip', 'SELECT pg_walfile_name(pg_current_wal_lsn()) AS w', PORTS.readWrite);
  return String(rows[0]!.w);
}

/** Segment names from `first` up to, not including, `last` (16 MiB segments, one timeline). */
function segmentsBetween(first: string, last: string): string[] {
  const n = (w: string) => parseInt(w.slice(8, 16), 16) * 256 + parseInt(w.slice(16, 24), 16);
  const hex = (x: number) => x.toString(16).toUpperCase().padStart(8, '0');
  const out: string[] = [];
  for (let i = n(first); i < n(last); i++) out.push(first.slice(0, 8) + hex(Math.floor(i / 256)) + hex(i % 256));
  return out;
}

/**
 * A paused host cannot give the address up: when it resumes, its keepalived still holds it until
 * it hears the new holder's advertisement (every 0.5 s). Up to this long from the resume is that
 * window, not a split brain; anything longer, or earlier, or without the resumed host is.
 */
const RESUME_WINDOW_SECONDS = 1;

/** What must hold after every fault; `resumed` names a host that was paused. */
function expectSafeAndHealed(r: ScenarioResult, resumed?: string): void {
  expect(r.lost, 'acknowledged writes lost').toBe(0);
  expect(r.splitBrain, 'moments with two writable members').toEqual([]);
  const doubles = r.vipDoubleHolders.filter(
    (d) =>
      !(
        resumed &&
        d.hosts.includes(resumed) &&
        d.fromSeconds >= r.faultEnd - 0.2 &&
        d.toSeconds - d.fromSeconds <= RESUME_WINDOW_SECONDS
      ),
  );
  expect(
    doubles,
    `moments with two hosts answering for the virtual IP; keepalived:\n${r.vipTransitions.join('\n')}`,
  ).toEqual([]);
  expect(r.healSeconds, `healed within ${HEAL_BOUND_SECONDS} s of the fault's end`).toBeDefined();
  expect(r.acknowledged).toBeGreaterThan(50);
}

/** keepalived reads neither etcd nor Patroni: the virtual IP never moved during the fault. */
function expectVipStayed(r: ScenarioResult): void {
  expect(r.before.vipHolder).toBeDefined();
  const elsewhere = r.vipSamples.filter((s) => s.answers && s.host !== r.before.vipHolder);
  expect(elsewhere, `the virtual IP left ${r.before.vipHolder!}`).toEqual([]);
  expect(r.vipHolderAfter).toBe(r.before.vipHolder);
}

/** The old leader was never writable again once the fault began (it did not take the leadership back). */
function expectOldLeaderStayedDown(r: ScenarioResult): void {
  expect(r.leaderAfter).toBeDefined();
  expect(r.leaderAfter).not.toBe(r.before.leader);
  const relapses = r.samples.filter((s) => s.member === r.before.leader && s.t > r.faultStart + 1 && s.writable);
  expect(relapses, `${r.before.leader} writable again after the fault`).toEqual([]);
}

describe.sequential('faults: no acknowledged write lost, no split brain, healed without hands', () => {
  beforeAll(async () => {
    await ensureDeployedCluster();
    await waitHealed(180);
  });

  it('leader host killed, then started with its disk: a replica takes over, the old leader rejoins', async () => {
    const r = await runScenario(scenarioNamed('leader-kill'), log);
    expectSafeAndHealed(r);
    expectOldLeaderStayedDown(r);
  });

  it('leader PostgreSQL killed (SIGKILL to the postmaster): writes are back within 15 s', async () => {
    const r = await runScenario(scenarioNamed('leader-postgres-kill'), log);
    expectSafeAndHealed(r);
    expect(r.unavailableSeconds).toBeLessThanOrEqual(15);
  });

  it('leader cut off the network, then reconnected: it rewinds or follows, never leads again', async () => {
    const r = await runScenario(scenarioNamed('leader-cut'), log);
    expectSafeAndHealed(r);
    expectOldLeaderStayedDown(r);
  });

  it('leader stalled longer than the TTL, then resumed: it never takes the leadership back', async () => {
    const r = await runScenario(scenarioNamed('leader-stall'), log);
    expectSafeAndHealed(r, r.before.leader);
    expectOldLeaderStayedDown(r);
  });

  it('synchronous replica killed, then started: writes go on, the replica rejoins', async () => {
    const r = await runScenario(scenarioNamed('replica-kill'), log);
    expectSafeAndHealed(r);
    expect(r.leaderAfter).toBe(r.before.leader);
    expect(r.unavailableSeconds).toBeLessThan(10);
  });

  it('one etcd member stopped: writes go on', async () => {
    const r = await runScenario(scenarioNamed('etcd-member-stop'), log);
    expectSafeAndHealed(r);
    expect(r.leaderAfter).toBe(r.before.leader);
    expectVipStayed(r);
    expect(r.unavailableSeconds).toBeLessThan(5);
  });

  it('etcd without quorum (a majority of members stopped) while every PostgreSQL host is healthy: failsafe mode keeps the leader', async () => {
    const scenario = scenarioNamed('etcd-quorum-loss');
    const r = await runScenario(scenario, log);
    expectSafeAndHealed(r);
    expect(r.leaderAfter).toBe(r.before.leader);
    // Writes usually go on (0.1-0.2 s unavailable here), but Patroni 4.1.5 sometimes demotes the
    // leader for the outage on an etcd error its failsafe mode does not treat as a DCS outage
    // (patroni/patroni#3572, open): the leader then comes back, nothing lost. `npm run bench:ha --
    // etcd-quorum-loss` measures it; the test holds what failsafe mode guarantees.
    expect(r.unavailableSeconds).toBeLessThanOrEqual(scenario.holdSeconds + 10);
    expectVipStayed(r);
  });

  it('HAProxy restarted: clients reconnect at once', async () => {
    const r = await runScenario(scenarioNamed('haproxy-restart'), log);
    expectSafeAndHealed(r);
    expect(r.unavailableSeconds).toBeLessThan(5);
  });

  it('the virtual IP holder (a replica) killed: the address moves within seconds, and comes back to service after its reboot', async () => {
    const r = await runScenario(scenarioNamed('vip-holder-kill'), log);
    expectSafeAndHealed(r);
    expect(r.leaderAfter).toBe(r.before.leader);
    expect(r.vipHolderAfter).not.toBe(r.before.vipHolder);
    expect(r.unavailableSeconds).toBeLessThanOrEqual(5);
    // Gratuitous ARP: the controller's neighbour entry for the address is the new holder's link.
    const neigh = await execa('ip', ['neigh', 'show', addressOf('vip')]);
    const mac = await onHost(r.vipHolderAfter!, 'cat /sys/class/net/host0/address');
    expect(neigh.stdout).toContain(`lladdr ${mac.stdout.trim()}`);
    // The rebooted host runs keepalived again by itself (enabled at boot), as a backup.
    const victim = r.before.vipHolder!;
    expect(
      (await onHost(victim, 'systemctl is-enabled keepalived; systemctl is-active keepalived')).stdout.trim(),
    ).toBe('enabled\nactive');
  });

  it('HAProxy stopped on the virtual IP holder: the address moves to a host whose HAProxy runs', async () => {
    const r = await runScenario(scenarioNamed('vip-haproxy-stop'), log);
    expectSafeAndHealed(r);
    expect(r.vipHolderAfter).toBeDefined();
    expect(r.unavailableSeconds).toBeLessThanOrEqual(6);
  });

  it('ns and bk killed: writes go on, the hosts still resolve each other and keep a time source; archiving catches up', async () => {
    const first = await leaderWalSegment();
    const r = await runScenario(scenarioNamed('ns-kill'), log);
    expectSafeAndHealed(r);
    expect(r.leaderAfter).toBe(r.before.leader);
    expect(r.unavailableSeconds).toBeLessThanOrEqual(1);
    // bk, the backup repository, was down too: what the leader wrote meanwhile reaches it
    // afterwards (check switches the segment and waits for it), with no segment skipped.
    const check = await onHost('bk', 'runuser -u postgres -- pgbackrest --stanza=pgha check');
    expect(check.code, check.stderr).toBe(0);
    const last = await leaderWalSegment();
    const archived = new Set(
      (await onHost('bk', "find /var/lib/pgbackrest/archive/pgha -name '[0-9A-F]*-*' -printf '%f\\n'")).stdout
        .split('\n')
        .map((f) => f.slice(0, 24)),
    );
    const missing = segmentsBetween(first, last).filter((w) => !archived.has(w));
    expect(missing, `segments from ${first} to ${last} missing in the repository`).toEqual([]);
  });

  it('a host whose disk is lost comes back through site.yml alone, and the next run changes nothing', async () => {
    await waitHealed(120);
    const { replicas, sync } = await roles();
    const victim = replicas.find((h) => h !== sync) ?? replicas[0]!;
    expect((await standCli('fault', 'kill', victim)).code).toBe(0);
    expect((await standCli('fault', 'wipe', victim)).code).toBe(0);
    const start = await standCli('fault', 'start', victim);
    expect(start.code, start.stderr).toBe(0);
    expect((await onHost(victim, 'test -e /etc/patroni/config.yml && echo present || echo blank')).stdout.trim()).toBe(
      'blank',
    );

    const deploy = await playbook('site');
    expect(deploy.code, deploy.output.slice(-3000)).toBe(0);
    await waitHealed(180);
    const etcdMembers = await onHost(victim, etcdctl(`127.0.0.1:${PORTS.etcdClient}`, 'member list'));
    expect(
      etcdMembers.stdout
        .trim()
        .split('\n')
        .filter((l) => l.includes(', started, ')),
    ).toHaveLength(3);
    expect((await readMembers())!.find((m) => m.name === victim)?.state).toBe('streaming');

    // The rebuilt host settles (the other hosts' second run is the cluster test's): limited to it.
    const again = await playbook('site', '--limit', victim);
    expect(again.code, again.output.slice(-3000)).toBe(0);
    expect(Object.keys(recap(again.output))).toEqual([victim]);
    expect(recap(again.output)[victim]!.changed, `${victim} changed on the run after the replacement`).toBe(0);
  });
});
