// The cluster as `patronictl list` shows it, plus the entry point: which host holds the virtual
// IP, each HAProxy's view of its backends, and each host's safeguards (keepalived, the etcd
// leader placement check). Read live from Patroni's REST API (GET /cluster), HAProxy's stats CSV
// and, over SSH, the hosts' addresses and units.
import { activeLayout } from './local/layout.js';
import { sshExec } from './local/ssh.js';
import { PORTS } from '../roles-src/ports.js';
import { hostAddress, hostsInGroup, vipAddress, type StandNetworkName } from '../inventories/stand.js';
import { ensureSecrets } from './secrets.js';
import { request, scheme } from './tls-client.js';

export interface Member {
  name: string;
  host: string;
  role: string;
  state: string;
  timeline?: number;
  lag?: number | string;
  pendingRestart?: boolean;
}
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
}

/** What the host's own units and addresses say, in one SSH call. */
async function entryHost(name: string, address: string, vip: string): Promise<EntryHost> {
  const r = await sshExec(
    address,
    `ip -4 -o addr show to ${vip}/32 | wc -l; systemctl is-active keepalived; ` +
      'systemctl show -p Result --value pgha-etcd-leader-away.service; ' +
      "journalctl -u pgha-etcd-leader-away.service -n 30 -o cat --no-pager 2>/dev/null | grep '^pgha-etcd-leader-away:' | tail -n 1",
  );
  if (r.code === 255) throw new Error(`ssh to ${name}: ${r.stderr.trim()}`);
  const [held, keepalived, result, error] = r.stdout.split('\n');
  return {
    name,
    holdsVip: held?.trim() === '1',
    keepalived: keepalived?.trim() ?? '?',
    leaderAway: result?.trim() || '?',
    leaderAwayError: result?.trim() !== 'success' && error?.trim() ? error.trim() : undefined,
  };
}

async function haproxyBackends(name: string, address: string, password: string): Promise<Backend[]> {
  const r = await fetch(`http://${address}:${PORTS.stats}/;csv`, {
    headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
    signal: AbortSignal.timeout(3000),
  });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  const [header, ...rows] = (await r.text())
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

async function getJson(url: string): Promise<unknown> {
  const r = await request(url, { timeoutMs: 3000 });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

export async function clusterStatus(network: StandNetworkName = 'local'): Promise<ClusterStatus> {
  const vip = vipAddress(network);
  const status: ClusterStatus = { members: [], backends: [], vip, entry: [], errors: [] };
  const hosts = hostsInGroup('pg', activeLayout()).map((h) => ({ name: h.name, address: hostAddress(h, network) }));
  for (const h of hosts) {
    try {
      const c = (await getJson(`${scheme()}://${h.address}:${PORTS.patroniRest}/cluster`)) as {
        scope?: string;
        members: Member[];
      };
      status.scope =
        c.scope ??
        ((await getJson(`${scheme()}://${h.address}:${PORTS.patroniRest}/patroni`)) as { patroni?: { scope?: string } })
          .patroni?.scope;
      status.members = (c.members as (Member & { pending_restart?: boolean })[]).map((m) => ({
        name: m.name,
        host: m.host,
        role: m.role,
        state: m.state,
        timeline: m.timeline,
        lag: m.lag,
        pendingRestart: m.pending_restart === true,
      }));
      break;
    } catch (e) {
      status.errors.push(`patroni on ${h.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (status.members.length) status.errors = [];
  const { pgha_haproxy_stats_password: password } = ensureSecrets();
  const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
  await Promise.all(
    hosts.map(async (h) => {
      const [entry, backends] = await Promise.allSettled([
        entryHost(h.name, h.address, vip),
        haproxyBackends(h.name, h.address, password),
      ]);
      if (entry.status === 'fulfilled') status.entry.push(entry.value);
      else status.errors.push(`${h.name}: ${reason(entry.reason)}`);
      if (backends.status === 'fulfilled') status.backends.push(...backends.value);
      else status.errors.push(`haproxy stats on ${h.name}: ${reason(backends.reason)}`);
    }),
  );
  status.entry.sort((a, b) => a.name.localeCompare(b.name));
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
  for (const e of s.errors) out.push(`unreachable: ${e}`);
  return out.join('\n');
}
