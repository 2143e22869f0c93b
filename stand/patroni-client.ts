// One reader of Patroni's REST API for the status command, the HA benchmark and the tests: the
// members as GET /cluster lists them, asked of each database host in turn until one answers.
import { PORTS } from '../roles-src/ports.js';
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

export interface ClusterView {
  scope?: string;
  members: Member[];
}

/** Patroni 4 says leader in /cluster; older releases and /patroni say master or primary. */
export const isLeader = (m: { role: string }) => ['leader', 'master', 'primary'].includes(m.role);
/** A replica in GET /cluster: Patroni 4 calls the synchronous one sync_standby. */
export const isReplica = (m: { role: string }) => ['replica', 'sync_standby', 'quorum_standby'].includes(m.role);

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const r = await request(url, { timeoutMs });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

/**
 * The cluster as the first of `hosts` whose Patroni answers lists it; each host that did not
 * answer is in `errors` (with the reason). `members` is empty when none answered.
 */
export async function readCluster(
  hosts: readonly { name: string; address: string }[],
  timeoutMs = 3000,
): Promise<ClusterView & { errors: string[] }> {
  const errors: string[] = [];
  for (const h of hosts) {
    const base = `${scheme()}://${h.address}:${PORTS.patroniRest}`;
    try {
      const c = (await getJson(`${base}/cluster`, timeoutMs)) as {
        scope?: string;
        members: (Member & { pending_restart?: boolean })[];
      };
      const scope =
        c.scope ?? ((await getJson(`${base}/patroni`, timeoutMs)) as { patroni?: { scope?: string } }).patroni?.scope;
      const members = c.members.map((m) => ({
        name: m.name,
        host: m.host,
        role: m.role,
        state: m.state,
        timeline: m.timeline,
        lag: m.lag,
        pendingRestart: m.pending_restart === true,
      }));
      return { ...(scope === undefined ? {} : { scope }), members, errors: [] };
    } catch (e) {
      errors.push(`patroni on ${h.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { members: [], errors };
}
