// The cluster as `patronictl list` shows it, plus the entry point: which host holds the virtual
// IP, each HAProxy's view of its backends, and each host's safeguards (keepalived, the etcd
// leader placement check). Read live from Patroni's REST API (GET /cluster), HAProxy's stats CSV
// and, over SSH, the hosts' addresses and units.
import { activeLayout } from './local/layout.js';
import { sshExec } from './local/ssh.js';
import { PORTS } from '../roles-src/ports.js';
import { hostAddress, hostsInGroup, vipAddress, type StandNetworkName } from '../inventories/stand.js';
import { superuserQuery } from './pg-client.js';
import { readCluster, type Member } from './patroni-client.js';
import { defaultOf } from '../dsl/index.js';
import backup from '../roles-src/backup/role.js';

/** Where the repository host keeps the copies no database host can delete. */
const COPY_DIR = defaultOf(backup, 'backup_copy_dir');

export type { Member };

export interface Backend {
  /** The host whose HAProxy reports it. */
  lb: string;
  proxy: string;
  server: string;
  status: string;
  checkStatus: string;
}
export interface ClusterStatus {
  scope?: string;
  members: Member[];
  backends: Backend[];
  vip: string;
  backup?: BackupStatus;
  /** Each database host: whether it holds the virtual IP and how its safeguards last ran. */
  entry: EntryHost[];
  errors: string[];
}
export interface EntryHost {
  name: string;
  holdsVip: boolean;
  keepalived: string;
  /** The etcd leader placement check's last result (systemd's Result: success, exit-code...). */
  leaderAway: string;
  /** Its last error line, when it failed. */
  leaderAwayError?: string;
  /** The data directories restore.yml set aside here: time stamp and size in bytes. */
  preRestore: { stamp: string; bytes: number }[];
}

/** What the host's own units and addresses say, in one SSH call. */
async function entryHost(name: string, address: string, vip: string): Promise<EntryHost> {
  const r = await sshExec(
    address,
    `ip -4 -o addr show to ${vip}/32 | wc -l; systemctl is-active keepalived; ` +
      'systemctl show -p Result --value pgha-etcd-leader-away.service; ' +
      "journalctl -u pgha-etcd-leader-away.service -n 30 -o cat --no-pager 2>/dev/null | grep '^pgha-etcd-leader-away:' | tail -n 1; " +
      // The copies restore.yml kept (<data>.pre-restore-<time>): what `npm run op -- restore-cleanup` removes.
      'find /var/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name "*.pre-restore-*" -exec du -sb {} + 2>/dev/null | sort -k2',
  );
  if (r.code === 255) throw new Error(`ssh to ${name}: ${r.stderr.trim()}`);
  const [held, keepalived, result, error, ...copies] = r.stdout.split('\n');
  return {
    name,
    holdsVip: held?.trim() === '1',
    keepalived: keepalived?.trim() ?? '?',
    leaderAway: result?.trim() || '?',
    leaderAwayError: result?.trim() !== 'success' && error?.trim() ? error.trim() : undefined,
    preRestore: copies.flatMap((line) => {
      const m = /^(\d+)\s+\S*\.pre-restore-(\S+)$/.exec(line.trim());
      return m ? [{ stamp: m[2]!, bytes: Number(m[1]) }] : [];
    }),
  };
}

export interface BackupStatus {
  /** The newest backup of each type, with its age in seconds. */
  last: { type: string; label: string; ageSeconds: number }[];
  /** The newest WAL segment in the repository. */
  archivedWal?: string;
  /** The leader's current WAL segment, and its archiver's counters. */
  leaderWal?: string;
  failedCount?: number;
  /** The last archive attempt failed (no success since the last failure). */
  failing?: boolean;
  lastFailedWal?: string;
  lastFailedTime?: string;
  /** The restore drill's last result on the repository host (undefined: it never ran). */
  drill?: DrillResult;
  /** The copies no database host can delete (pgha-repo-copy): how many, and the newest's time stamp. */
  copies: { count: number; newest?: string };
}

/** What pgha-restore-drill writes (roles-src/backup/templates/restore-drill.sh.j2). */
export interface DrillResult {
  ok: boolean;
  step: string;
  message: string;
  finished: number;
  restore_seconds: number | null;
  newest_transaction: string | null;
  behind_seconds: number | null;
}

interface PgBackRestInfo {
  backup: { label: string; type: string; timestamp: { stop: number } }[];
  archive: { max?: string }[];
}

/** What the repository holds (pgBackRest's info, on the repository host) and the leader's archiver. */
async function backupStatus(repository: string, leaderAddress: string | undefined): Promise<BackupStatus> {
  const r = await sshExec(repository, 'runuser -u postgres -- pgbackrest --stanza=pgha --output=json info');
  if (r.code !== 0) throw new Error(`pgbackrest info: ${(r.stderr || r.stdout).trim()}`);
  const info = (JSON.parse(r.stdout) as PgBackRestInfo[])[0]!;
  const now = Date.now() / 1000;
  const status: BackupStatus = {
    copies: { count: 0 },
    last: ['full', 'diff', 'incr'].flatMap((type) => {
      const b = info.backup.filter((x) => x.type === type).at(-1);
      return b ? [{ type, label: b.label, ageSeconds: Math.round(now - b.timestamp.stop) }] : [];
    }),
    archivedWal: info.archive.at(-1)?.max,
  };
  const drill = await sshExec(repository, 'cat /var/lib/pgbackrest-drill/last-result.json 2>/dev/null || true');
  if (drill.stdout.trim()) status.drill = JSON.parse(drill.stdout) as DrillResult;
  const copies = await sshExec(
    repository,
    `find ${COPY_DIR} -mindepth 1 -maxdepth 1 -type d -name '2*' 2>/dev/null | wc -l; readlink ${COPY_DIR}/latest || true`,
  );
  const [count, newest] = copies.stdout.split('\n');
  status.copies = { count: Number(count?.trim() || 0), newest: newest?.trim() || undefined };
  if (leaderAddress) {
    const row = (
      await superuserQuery<{
        wal: string;
        failed_count: string;
        failing: boolean;
        last_failed_wal: string | null;
        last_failed_time: Date | null;
      }>(
        leaderAddress,
        `SELECT pg_walfile_name(pg_current_wal_lsn()) AS wal, failed_count, last_failed_wal, last_failed_time,
           (last_failed_time IS NOT NULL AND (last_archived_time IS NULL OR last_failed_time > last_archived_time)) AS failing
         FROM pg_stat_archiver`,
        { timeoutMs: 3000 },
      )
    )[0]!;
    status.leaderWal = row.wal;
    status.failedCount = Number(row.failed_count);
    status.failing = row.failing;
    status.lastFailedWal = row.last_failed_wal ?? undefined;
    status.lastFailedTime = row.last_failed_time?.toISOString();
  }
  return status;
}

/**
 * HAProxy's table of servers, from its admin socket over SSH: the statistics page is on the network
 * only over TLS, and the socket needs no password.
 */
async function haproxyBackends(name: string, address: string): Promise<Backend[]> {
  const r = await sshExec(
    address,
    `python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.connect("/run/haproxy/admin.sock"); ` +
      `s.sendall(b"show stat\\n"); print(b"".join(iter(lambda: s.recv(65536), b"")).decode())'`,
  );
  if (r.code !== 0) throw new Error(`haproxy's admin socket on ${name}: ${r.stderr.trim() || `exit ${r.code}`}`);
  const [header, ...rows] = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const col = (n: string) => header!.indexOf(n === 'pxname' ? '# pxname' : n);
  const out: Backend[] = [];
  for (const row of rows) {
    const [proxy, server] = [row[col('pxname')]!, row[col('svname')]!];
    if (!proxy.startsWith('postgres_') || server === 'FRONTEND' || server === 'BACKEND') continue;
    out.push({ lb: name, proxy, server, status: row[col('status')]!, checkStatus: row[col('check_status')]! });
  }
  return out;
}

export async function clusterStatus(network: StandNetworkName = 'local'): Promise<ClusterStatus> {
  const vip = vipAddress(network);
  const status: ClusterStatus = { members: [], backends: [], vip, entry: [], errors: [] };
  const hosts = hostsInGroup('pg', activeLayout()).map((h) => ({ name: h.name, address: hostAddress(h, network) }));
  const cluster = await readCluster(hosts);
  status.members = cluster.members;
  status.errors = cluster.errors;
  if (cluster.scope !== undefined) status.scope = cluster.scope;
  const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
  await Promise.all(
    hosts.map(async (h) => {
      const [entry, backends] = await Promise.allSettled([
        entryHost(h.name, h.address, vip),
        haproxyBackends(h.name, h.address),
      ]);
      if (entry.status === 'fulfilled') status.entry.push(entry.value);
      else status.errors.push(`${h.name}: ${reason(entry.reason)}`);
      if (backends.status === 'fulfilled') status.backends.push(...backends.value);
      else status.errors.push(`haproxy stats on ${h.name}: ${reason(backends.reason)}`);
    }),
  );
  status.entry.sort((a, b) => a.name.localeCompare(b.name));
  const repository = hostsInGroup('backup', activeLayout())[0];
  if (repository) {
    const leader = status.members.find((m) => m.role === 'leader' || m.role === 'primary' || m.role === 'master');
    try {
      status.backup = await backupStatus(hostAddress(repository, network), leader?.host);
    } catch (e) {
      status.errors.push(`backups on ${repository.name}: ${reason(e)}`);
    }
  }
  status.backends.sort(
    (a, b) => a.lb.localeCompare(b.lb) || a.proxy.localeCompare(b.proxy) || a.server.localeCompare(b.server),
  );
  return status;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const fmt = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line, fmt(rows[0]!), line, ...rows.slice(1).map(fmt), line].join('\n');
}

export function formatClusterStatus(s: ClusterStatus): string {
  const out: string[] = [];
  if (s.members.length) {
    out.push(`Cluster: ${s.scope ?? '?'}`);
    out.push(
      table([
        ['Member', 'Host', 'Role', 'State', 'TL', 'Lag in MB', 'Pending restart'],
        ...s.members.map((m) => [
          m.name,
          m.host,
          m.role,
          m.state,
          m.timeline === undefined ? '' : String(m.timeline),
          typeof m.lag === 'number' ? String(Math.round(m.lag / 1048576)) : (m.lag ?? ''),
          m.pendingRestart ? '*' : '',
        ]),
      ]),
    );
  }
  if (s.entry.length) {
    const holders = s.entry.filter((e) => e.holdsVip).map((e) => e.name);
    out.push(
      `Virtual IP ${s.vip} (${PORTS.readWrite} read-write, ${PORTS.readOnly} read-only): ` +
        (holders.length === 1
          ? `held by ${holders[0]!}`
          : holders.length
            ? `HELD BY ${holders.length} HOSTS: ${holders.join(', ')}`
            : 'HELD BY NO HOST'),
    );
    const view = (lb: string, proxy: string) =>
      s.backends
        .filter((b) => b.lb === lb && b.proxy === proxy && b.status === 'UP')
        .map((b) => b.server)
        .join(' ') || (s.backends.some((b) => b.lb === lb) ? 'none' : '?');
    out.push(
      table([
        ['Host', 'VIP', 'keepalived', 'HAProxy read-write ->', 'read-only ->', 'etcd leader placement check'],
        ...s.entry.map((e) => [
          e.name,
          e.holdsVip ? '*' : '',
          e.keepalived,
          view(e.name, 'postgres_rw'),
          view(e.name, 'postgres_ro'),
          e.leaderAway === 'success'
            ? 'ok'
            : `FAILED (${e.leaderAway})${e.leaderAwayError ? `: ${e.leaderAwayError}` : ''}`,
        ]),
      ]),
    );
  }
  const copies = s.entry.flatMap((e) =>
    e.preRestore.map((c) => `${e.name} ${c.stamp} (${Math.round(c.bytes / 1048576)} MiB)`),
  );
  if (copies.length)
    out.push(
      `Data set aside by restores: ${copies.join(', ')}; remove with npm run op -- restore-cleanup --copies all|<time stamps>`,
    );
  if (s.backup) {
    const b = s.backup;
    const age = (sec: number) => (sec < 5400 ? `${Math.round(sec / 60)} min` : `${(sec / 3600).toFixed(1)} h`);
    out.push(
      `Backups: ${b.last.map((x) => `last ${x.type} ${x.label} (${age(x.ageSeconds)} ago)`).join(', ') || 'NONE'}; ` +
        `WAL archived up to ${b.archivedWal ?? 'nothing'}, the leader writes ${b.leaderWal ?? '?'}; ` +
        (b.failing
          ? `ARCHIVING FAILING: ${b.lastFailedWal ?? '?'} at ${b.lastFailedTime ?? '?'} (${b.failedCount ?? '?'} failures)`
          : `archiving works (${b.failedCount ?? '?'} failures since the statistics were reset)`),
    );
    const d = b.drill;
    out.push(
      !d
        ? 'Restore drill: never run (npm run op -- restore-drill, or its weekly timer on the repository host)'
        : `Restore drill ${age(Date.now() / 1000 - d.finished)} ago: ${d.ok ? 'passed' : `FAILED at ${d.step}`}: ${d.message}`,
    );
    out.push(
      b.copies.count
        ? `Copies no database host can delete: ${b.copies.count}, the newest ${b.copies.newest ?? '?'}`
        : 'Copies no database host can delete: NONE yet (made after each scheduled backup and by each restore drill)',
    );
  }
  for (const e of s.errors) out.push(`unreachable: ${e}`);
  return out.join('\n');
}
