// Watches every PostgreSQL member directly (not through HAProxy) a few times a second: whether
// it would acknowledge a write, and what its Patroni says it is. Two members acknowledging
// writes at the same moment is split brain, whatever the client happened to hit.
import { PORTS } from '../../roles-src/ports.js';
import pg from 'pg';
import { request, scheme } from '../tls-client.js';
import { pgClient } from '../pg-client.js';

export interface MemberTarget {
  name: string;
  address: string;
}
export interface MemberSample {
  at: number;
  member: string;
  /** Not in recovery, and a commit can complete (no synchronous standby it would wait for forever). */
  writable?: boolean;
  /** Patroni's own view of the member: primary, replica, ... (undefined when its API did not answer). */
  role?: string;
}

/** A primary acknowledges a commit unless it waits for a synchronous standby that is not there. */
const WRITABLE_SQL = `SELECT NOT pg_is_in_recovery() AND (current_setting('synchronous_standby_names') = ''
  OR EXISTS (SELECT 1 FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum') AND state = 'streaming')) AS writable`;

export class MemberSampler {
  readonly samples: MemberSample[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly members: readonly MemberTarget[],
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.running = true;
    this.loops = this.members.map((m) => this.watch(m));
  }

  async stop(): Promise<MemberSample[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.samples;
  }

  private async watch(m: MemberTarget): Promise<void> {
    let conn: pg.Client | undefined;
    while (this.running) {
      const t0 = performance.now();
      // When PostgreSQL answered: the moment the member was (not) writable. The REST call beside
      // it may take its whole timeout (a cut-off host), which must not date the answer later.
      let answeredAt: number | undefined;
      const [writable, role] = await Promise.all([
        (async () => {
          try {
            if (!conn) {
              const c = pgClient('superuser', m.address, PORTS.postgres, {
                connectionTimeoutMillis: 1000,
                query_timeout: 1000,
              });
              c.on('error', () => undefined);
              await c.connect();
              conn = c;
            }
            const writable = (await conn.query<{ writable: boolean }>(WRITABLE_SQL)).rows[0]?.writable;
            answeredAt = performance.now();
            return writable;
          } catch {
            const c = conn;
            conn = undefined;
            void c?.end().catch(() => undefined);
            return undefined;
          }
        })(),
        patroniRole(m.address),
      ]);
      this.samples.push({ at: answeredAt ?? performance.now(), member: m.name, writable, role });
      await new Promise((r) => setTimeout(r, Math.max(0, this.intervalMs - (performance.now() - t0))));
    }
    await conn?.end().catch(() => undefined);
  }
}

async function patroniRole(address: string): Promise<string | undefined> {
  try {
    const r = await request(`${scheme()}://${address}:${PORTS.patroniRest}/patroni`, { timeoutMs: 1000 });
    return ((await r.json()) as { role?: string }).role;
  } catch {
    return undefined;
  }
}

/**
 * Intervals (ms on the performance clock) during which two or more members were writable: each
 * member counts as writable from a writable sample until its next sample says otherwise.
 */
export function splitBrainIntervals(
  samples: readonly MemberSample[],
): { from: number; to: number; members: string[] }[] {
  const state = new Map<string, boolean>();
  const out: { from: number; to: number; members: string[] }[] = [];
  let open: { from: number; members: string[] } | undefined;
  for (const s of [...samples].sort((a, b) => a.at - b.at)) {
    state.set(s.member, s.writable === true);
    const writers = [...state]
      .filter(([, w]) => w)
      .map(([m]) => m)
      .sort();
    if (writers.length > 1 && !open) open = { from: s.at, members: writers };
    else if (writers.length <= 1 && open) {
      out.push({ ...open, to: s.at });
      open = undefined;
    }
  }
  if (open) out.push({ ...open, to: samples.at(-1)?.at ?? open.from });
  return out;
}
