// The cluster as `patronictl list` shows it, plus HAProxy's view of its backends, read live
// from Patroni's REST API (GET /cluster) and HAProxy's stats CSV.
import { activeLayout } from './local/layout.js';
import { PORTS } from '../roles-src/ports.js';
import { stand, hostAddress, hostsInGroup, type StandNetworkName } from '../inventories/stand.js';
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
  proxy: string;
  server: string;
  status: string;
  checkStatus: string;
}
export interface ClusterStatus {
  scope?: string;
  members: Member[];
  backends: Backend[];
  errors: string[];
}

async function getJson(url: string): Promise<unknown> {
  const r = await request(url, { timeoutMs: 3000 });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

export async function clusterStatus(network: StandNetworkName = 'local'): Promise<ClusterStatus> {
  const status: ClusterStatus = { members: [], backends: [], errors: [] };
  for (const h of hostsInGroup('pg', activeLayout())) {
    try {
      const c = (await getJson(`${scheme()}://${hostAddress(h, network)}:${PORTS.patroniRest}/cluster`)) as {
        scope?: string;
        members: Member[];
      };
      status.scope =
        c.scope ??
        (
          (await getJson(`${scheme()}://${hostAddress(h, network)}:${PORTS.patroniRest}/patroni`)) as {
            patroni?: { scope?: string };
          }
        ).patroni?.scope;
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
  const ns = stand.hosts.find((h) => h.name === 'ns')!;
  try {
    const { pgha_haproxy_stats_password: password } = ensureSecrets();
    const r = await fetch(`http://${hostAddress(ns, network)}:${PORTS.stats}/;csv`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const [header, ...rows] = (await r.text())
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const col = (n: string) => header!.indexOf(n === 'pxname' ? '# pxname' : n);
    for (const row of rows) {
      const [proxy, server] = [row[col('pxname')]!, row[col('svname')]!];
      if (!proxy.startsWith('postgres_') || server === 'FRONTEND' || server === 'BACKEND') continue;
      status.backends.push({ proxy, server, status: row[col('status')]!, checkStatus: row[col('check_status')]! });
    }
  } catch (e) {
    status.errors.push(`haproxy stats on ns: ${e instanceof Error ? e.message : String(e)}`);
  }
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
  if (s.backends.length) {
    out.push(`HAProxy (ns): ${PORTS.readWrite} read-write -> postgres_rw, ${PORTS.readOnly} read-only -> postgres_ro`);
    out.push(
      table([
        ['Proxy', 'Server', 'Status', 'Check'],
        ...s.backends.map((b) => [b.proxy, b.server, b.status, b.checkStatus]),
      ]),
    );
  }
  for (const e of s.errors) out.push(`unreachable: ${e}`);
  return out.join('\n');
}
