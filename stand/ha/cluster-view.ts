// The cluster as Patroni and etcd report it, read from the controller over the stand's bridge.
import { activeLayout } from '../local/layout.js';
import { PORTS } from '../../roles-src/ports.js';
import { hostAddress, hostsInGroup, stand, vipAddress, type StandGroup } from '../../inventories/stand.js';
import { hostHasAddress } from '../local/netns.js';
import { etcdTlsMaterial, request, scheme, type SimpleResponse, type TlsMaterial } from '../tls-client.js';
import { isLeader, readCluster, type Member } from '../patroni-client.js';

export { isLeader };

/** The hosts of a group in the stand's running layout, with their addresses. */
const groupHosts = (group: StandGroup) =>
  hostsInGroup(group, activeLayout()).map((h) => ({ name: h.name, address: hostAddress(h, 'local') }));

export const etcdHosts = () => groupHosts('etcd');
export const dbHosts = () => groupHosts('pg');

async function getJson<T>(url: string, timeoutMs = 1500, tls?: TlsMaterial): Promise<T | undefined> {
  try {
    const r = await request(url, { timeoutMs, ...(tls ? { tls } : {}) });
    return r.ok ? ((await r.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The members as the first Patroni that answers lists them; undefined when none answers. */
export async function readMembers(): Promise<Member[] | undefined> {
  const { members } = await readCluster(dbHosts(), 1500);
  return members.length ? members : undefined;
}

/**
 * Healed: every member listed, one running leader, every other member streaming from it on the
 * same timeline, a synchronous standby when synchronous mode is on, every etcd member healthy, and
 * one host holding the virtual IP.
 */
export async function isHealed(): Promise<boolean> {
  const members = await readMembers();
  const hosts = dbHosts();
  if (!members || members.length !== hosts.length) return false;
  const leaders = members.filter(isLeader);
  if (leaders.length !== 1 || leaders[0]!.state !== 'running') return false;
  const replicas = members.filter((m) => !isLeader(m));
  if (!replicas.every((m) => m.state === 'streaming' && m.timeline === leaders[0]!.timeline)) return false;
  // In synchronous mode only the synchronous standby may be promoted: a leader lost before it named
  // one (the first seconds after a switchover) is not replaced. Measured on the five-host stand: a
  // leader killed 3 s after a switchover stayed the leader until it came back.
  if (!replicas.some((m) => m.role === 'sync_standby' || m.role === 'quorum_standby')) {
    if ((await readDynamicConfig())?.synchronous_mode === true) return false;
  }
  const etcd = await Promise.all(
    etcdHosts().map((h) =>
      getJson<{ health?: string }>(
        `${scheme()}://${h.address}:${PORTS.etcdClient}/health`,
        1500,
        stand.tls ? etcdTlsMaterial() : undefined,
      ),
    ),
  );
  return etcd.every((e) => e?.health === 'true') && (await vipHolder()) !== undefined;
}

/** The one database host holding the virtual IP (undefined: none, or more than one). */
export async function vipHolder(): Promise<string | undefined> {
  const held = await Promise.all(
    dbHosts().map(async (h) => ((await hostHasAddress(h.name, vipAddress('local'))) ? h.name : '')),
  );
  const holders = held.filter(Boolean);
  return holders.length === 1 ? holders[0] : undefined;
}

/** The leader, the synchronous standby (if any), the other replicas and the virtual IP's holder. */
export async function roles(): Promise<{ leader: string; sync?: string; replicas: string[]; vipHolder?: string }> {
  const members = (await readMembers()) ?? [];
  const leader = members.find(isLeader)?.name;
  if (!leader) throw new Error('the cluster has no leader');
  const replicas = members
    .filter((m) => !isLeader(m))
    .map((m) => m.name)
    .sort();
  const sync = members.find((m) => m.role === 'sync_standby')?.name;
  return { leader, sync, replicas, vipHolder: await vipHolder() };
}

export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  stepMs = 500,
): Promise<number | undefined> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (await check()) return performance.now();
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return undefined;
}

/** An authenticated call to one member's Patroni REST API (its unsafe endpoints). */
export function patroniWrite(
  address: string,
  method: 'POST' | 'PATCH',
  path: string,
  password: string,
  body: unknown,
  timeoutMs: number,
): Promise<SimpleResponse> {
  const auth = Buffer.from(`patroni:${password}`).toString('base64');
  return request(`${scheme()}://${address}:${PORTS.patroniRest}${path}`, {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs,
  });
}

/** Changes Patroni's dynamic configuration (authenticated), through the first member that answers. */
export async function patchDynamicConfig(
  password: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  for (const h of dbHosts()) {
    try {
      const r = await patroniWrite(h.address, 'PATCH', '/config', password, body, 5000);
      if (r.ok) return (await r.json()) as Record<string, unknown>;
    } catch {
      /* next member */
    }
  }
  throw new Error(`no member accepted the configuration change ${JSON.stringify(body)}`);
}

export async function readDynamicConfig(): Promise<Record<string, unknown> | undefined> {
  for (const h of dbHosts()) {
    const c = await getJson<Record<string, unknown>>(`${scheme()}://${h.address}:${PORTS.patroniRest}/config`);
    if (c) return c;
  }
  return undefined;
}
