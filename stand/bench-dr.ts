// Benchmark of backups and recovery on the stand, on a pgbench database of about 1 GB: full and
// differential backup times, the leader's throughput with and without archiving, the restore
// drill's time, the whole cluster's restore time (RTO), and with --all-hosts-loss the data an
// all-database-hosts loss costs (RPO) against archive_timeout. It prints figures; it never fails
// on a slow day. The cluster must be deployed and healthy; it is left restored and healthy.
import { RESTORE_CLUSTER } from '../playbooks/restore.js';
import { execa } from 'execa';
import { hostAddress, hostsInGroup, stand, vipAddress } from '../inventories/stand.js';
import { PORTS } from '../roles-src/ports.js';
import { killHost, startHost, wipeHost } from './local/faults.js';
import { sshArgs } from './local/ssh.js';
import { runPlaybook } from '../ops/play.js';
import { activeInventory } from './local/layout.js';
import { WriteProbe } from './write-probe.js';
import { clusterStatus } from './cluster-status.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const address = (name: string) =>
  hostAddress(
    stand.hosts.find((h) => h.name === name)!,
    'local',
  );
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/** A command in a stand host, with no time limit; throws with its output when it fails. */
async function onHost(name: string, command: string): Promise<string> {
  const r = await execa('ssh', [...sshArgs(address(name), 10), command], { reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`${name}: ${command}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<[number, T]> {
  console.log(`[bench:dr] ${what}`);
  const t0 = performance.now();
  const v = await fn();
  return [Math.round((performance.now() - t0) / 100) / 10, v];
}

async function leader(): Promise<string> {
  const s = await clusterStatus();
  const m = s.members.find((x) => x.role === 'leader');
  if (!m) throw new Error('no leader: deploy the cluster first (npm run main)');
  return m.name;
}

const asPostgres = (cmd: string) => `cd /tmp && runuser -u postgres -- ${cmd}`;
const leaderSql = async (host: string, sql: string) => (await onHost(host, asPostgres(`psql -XAtc "${sql}"`))).trim();

async function pgbenchTps(host: string, seconds: number): Promise<number> {
  const out = await onHost(host, asPostgres(`${PG_BIN}/pgbench -T ${seconds} -c 4 -j 2 -n postgres`));
  return Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN));
}

export async function benchDr(opts: { scale: number; allHostsLoss: boolean }): Promise<void> {
  const figures: [string, string][] = [];
  const note = (k: string, v: string) => {
    figures.push([k, v]);
    console.log(`[bench:dr] ${k}: ${v}`);
  };
  const backupHost = hostsInGroup('backup')[0]!.name;
  let lead = await leader();
  const [loadS] = await timed(`pgbench -i -s ${opts.scale} on ${lead}`, () =>
    onHost(lead, asPostgres(`${PG_BIN}/pgbench -i -q -s ${opts.scale} postgres`)),
  );
  const size = await leaderSql(lead, 'SELECT pg_size_pretty(pg_database_size(current_database()))');
  note('database', `${size} (pgbench scale ${opts.scale}), loaded in ${loadS} s`);
  await onHost(backupHost, asPostgres('pgbackrest --stanza=pgha check'));
  const [fullS] = await timed('full backup', () =>
    onHost(backupHost, asPostgres('pgbackrest --stanza=pgha --type=full backup')),
  );
  note('full backup (from a replica)', `${fullS} s`);

  // A warm-up first (the load leaves a checkpoint and the replicas' catch-up behind), then with,
  // without, with again: the order does not favour either side.
  await pgbenchTps(lead, 15);
  const setArchive = async (command: string | undefined) => {
    await leaderSql(
      lead,
      command ? `ALTER SYSTEM SET archive_command = '${command}'` : 'ALTER SYSTEM RESET archive_command',
    );
    await leaderSql(lead, 'SELECT pg_reload_conf()');
  };
  const tpsWith1 = await pgbenchTps(lead, 30);
  await setArchive('/bin/false');
  const tpsWithout = await pgbenchTps(lead, 30);
  await setArchive(undefined);
  const tpsWith2 = await pgbenchTps(lead, 30);
  const tpsWith = Math.round((tpsWith1 + tpsWith2) / 2);
  note(
    "leader's throughput, pgbench -c 4 for 30 s",
    `${tpsWith} tps archiving (${tpsWith1}, ${tpsWith2}), ${tpsWithout} tps not archiving (WAL kept until archived): ${Math.round((100 * (tpsWithout - tpsWith)) / tpsWithout)} % cost`,
  );
  await onHost(backupHost, asPostgres('pgbackrest --stanza=pgha check'));
  const [diffS] = await timed('differential backup', () =>
    onHost(backupHost, asPostgres('pgbackrest --stanza=pgha --type=diff backup')),
  );
  note('differential backup (after 105 s of pgbench)', `${diffS} s`);

  const [drillS, drillOut] = await timed('restore drill', () =>
    onHost(backupHost, '/usr/local/sbin/pgha-restore-drill'),
  );
  note('restore drill (verify, restore, recover, pg_amcheck)', `${drillS} s in all; ${drillOut.trim()}`);

  const [rtoS] = await timed('restore.yml, latest', () =>
    runPlaybook(
      'restore',
      ['-e', `restore_confirm=${RESTORE_CLUSTER}`, '-e', 'restore_type=latest'],
      activeInventory(),
    ),
  );
  note('whole-cluster restore to the latest state (restore.yml, RTO)', `${rtoS} s`);

  if (opts.allHostsLoss) {
    lead = await leader();
    const timeout = await leaderSql(lead, 'SHOW archive_timeout');
    const probe = new WriteProbe({
      host: vipAddress('local'),
      port: PORTS.readWrite,
    });
    await probe.start();
    // Longer than archive_timeout: the loss shows the bound at work, not the whole window.
    await sleep(100);
    const pgHosts = hostsInGroup('pg').map((h) => h.name);
    console.log(`[bench:dr] all database hosts lost: ${pgHosts.join(', ')} killed and wiped`);
    await Promise.all(pgHosts.map((h) => killHost(h)));
    const acked = probe.halt();
    for (const h of pgHosts) await wipeHost(h);
    for (const h of pgHosts) await startHost(h);
    const [siteS] = await timed(
      'site.yml on the blank hosts (stops at the repository, which holds the old cluster)',
      () => runPlaybook('site', [], activeInventory()).catch(() => undefined),
    );
    const [restoreS] = await timed('restore.yml, latest', () =>
      runPlaybook(
        'restore',
        ['-e', `restore_confirm=${RESTORE_CLUSTER}`, '-e', 'restore_type=latest'],
        activeInventory(),
      ),
    );
    const present = await probe.present(acked.map((a) => a.id));
    const lastAcked = acked.at(-1)!;
    // The loss window: from the newest acknowledged write the restored cluster holds (or the
    // first write, when it holds none) to the newest acknowledged at all.
    const lastPresent = [...acked].reverse().find((a) => present.has(a.id)) ?? acked[0]!;
    const missing = acked.filter((a) => !present.has(a.id)).length;
    note(
      'all database hosts lost (RPO)',
      `${missing} of ${acked.length} acknowledged writes missing: ${((lastAcked.at - lastPresent.at) / 1000).toFixed(1)} s of writes; archive_timeout ${timeout}`,
    );
    note('all database hosts lost (RTO)', `site.yml ${siteS} s + restore.yml ${restoreS} s`);
    await runPlaybook('site', [], activeInventory());
  }
  console.log(['', '| figure | value |', '|---|---|', ...figures.map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));
}
