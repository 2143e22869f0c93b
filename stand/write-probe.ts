// A client that writes a unique id through HAProxy's read-write port every 100 ms, the way an
// application would, and afterwards reads every acknowledged id back: the longest gap between
// acknowledged writes is the write unavailability, an acknowledged id missing is a lost write.
import type pg from 'pg';
import { pgClient } from './pg-client.js';

/** Where the probe writes: HAProxy's read-write port, as the operations' user (never the superuser). */
export interface ProbeTarget {
  host: string;
  port: number;
}
export interface ProbeReport {
  acknowledged: number;
  failed: number;
  longestGapSeconds: number;
  lost: number;
}
/** One write attempt: when it ended (ms on the performance clock) and whether it was acknowledged. */
export interface ProbeEvent {
  at: number;
  ok: boolean;
}

const TABLE = 'pgha_write_probe';

function client(t: ProbeTarget): pg.Client {
  return pgClient('operator', t.host, t.port, { connectionTimeoutMillis: 1000, query_timeout: 2000 });
}

export class WriteProbe {
  private readonly acked: { id: number; at: number }[] = [];
  /** Every attempt in order, for timelines. */
  readonly events: ProbeEvent[] = [];
  private failed = 0;
  private running = false;
  private loop?: Promise<void>;
  private started = 0;
  private stoppedAt = 0;
  private conn?: pg.Client;

  constructor(
    private readonly target: ProbeTarget,
    private readonly intervalMs = 100,
  ) {}

  async start(): Promise<void> {
    const c = client(this.target);
    await c.connect();
    await c.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`);
    await c.end();
    this.running = true;
    this.started = performance.now();
    this.loop = this.run();
  }

  private async writeOnce(id: number): Promise<void> {
    try {
      if (!this.conn) {
        const c = client(this.target);
        c.on('error', () => undefined); // a dead connection is noticed by the next query
        await c.connect();
        this.conn = c;
      }
      await this.conn.query(`INSERT INTO ${TABLE} (id) VALUES ($1)`, [id]);
      this.acked.push({ id, at: performance.now() });
      this.events.push({ at: performance.now(), ok: true });
    } catch {
      this.failed++;
      this.events.push({ at: performance.now(), ok: false });
      const c = this.conn;
      this.conn = undefined;
      await c?.end().catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    let id = Date.now() * 1000;
    while (this.running) {
      const t0 = performance.now();
      await this.writeOnce(++id);
      await new Promise((r) => setTimeout(r, Math.max(0, this.intervalMs - (performance.now() - t0))));
    }
  }

  /** True when the latest attempt was acknowledged within the last `ms`. */
  acknowledgingSince(ms: number): boolean {
    const last = this.events.at(-1);
    return last !== undefined && last.ok && performance.now() - last.at <= ms;
  }

  /** Stops writing at once (the loop ends after its current attempt); returns what was acknowledged. */
  halt(): { id: number; at: number }[] {
    this.running = false;
    this.stoppedAt = performance.now();
    return [...this.acked];
  }

  /** Which of these ids the cluster holds (retrying for a minute until it answers). */
  async present(ids: readonly number[]): Promise<Set<number>> {
    for (let attempt = 0; ; attempt++) {
      const c = client(this.target);
      try {
        await c.connect();
        const rows = (await c.query<{ id: string }>(`SELECT id FROM ${TABLE} WHERE id = ANY($1::bigint[])`, [ids]))
          .rows;
        return new Set(rows.map((r) => Number(r.id)));
      } catch (e) {
        if (attempt >= 60) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      } finally {
        await c.end().catch(() => undefined);
      }
    }
  }

  /** Stops writing, then reads back every acknowledged id. */
  async stop(): Promise<ProbeReport> {
    this.halt();
    await this.loop;
    await this.conn?.end().catch(() => undefined);
    const times = [this.started, ...this.acked.map((a) => a.at), this.stoppedAt];
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
    const ids = this.acked.map((a) => a.id);
    const present = await this.present(ids);
    return {
      acknowledged: ids.length,
      failed: this.failed,
      longestGapSeconds: Math.round(gap / 100) / 10,
      lost: ids.filter((i) => !present.has(i)).length,
    };
  }
}
