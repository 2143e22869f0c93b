// Watches which hosts hold the virtual IP, a few times a second, from inside each host's network
// namespace. A holder answers for the address only while its link is up and it runs (a cut-off
// host keeps the address but no one reaches it); two answering holders at once is the address's
// split brain.
import { hostHasAddress } from '../local/netns.js';
import { isCutOff, isStalled } from '../local/faults.js';

export interface VipSample {
  /** When the probe ended (ms, performance clock). */
  at: number;
  /** When the probe started: the address was seen at some instant between the two. */
  from?: number;
  host: string;
  /** The address is on one of the host's interfaces (undefined: the host is not running). */
  holds?: boolean;
  /** Holds it, is connected and runs: answers clients for it. */
  answers: boolean;
}

export class VipSampler {
  readonly samples: VipSample[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly hosts: readonly string[],
    private readonly address: string,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.running = true;
    this.loops = this.hosts.map((h) => this.watch(h));
  }

  async stop(): Promise<VipSample[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.samples;
  }

  private async watch(host: string): Promise<void> {
    while (this.running) {
      const t0 = performance.now();
      const holds = await hostHasAddress(host, this.address);
      const answers = holds === true && !isCutOff(host) && !isStalled(host);
      this.samples.push({ at: performance.now(), from: t0, host, holds, answers });
      await new Promise((r) => setTimeout(r, Math.max(0, this.intervalMs - (performance.now() - t0))));
    }
  }
}

/**
 * Intervals (ms, performance clock) during which two or more hosts surely answered for the address.
 * A probe sees the address at some instant between its start and its end, and a host's probes run
 * one after another; so a host surely answered from the end of the first of two or more answering
 * probes in a row to the start of the last. A single answering probe proves no span: comparing each
 * host's latest probe instead made a holder that had already given the address up look like a
 * second holder for up to one probe's round (every database host probed at once on two cores,
 * under CI load). The cost: a double shorter than about two probe rounds (0.2 s each, plus the
 * probe itself) can go unseen.
 */
export function doubleHolderIntervals(samples: readonly VipSample[]): { from: number; to: number; hosts: string[] }[] {
  const spans: { from: number; to: number; host: string }[] = [];
  const byHost = new Map<string, VipSample[]>();
  for (const s of samples) (byHost.get(s.host) ?? byHost.set(s.host, []).get(s.host)!).push(s);
  for (const [host, list] of byHost) {
    list.sort((a, b) => a.at - b.at);
    let first: VipSample | undefined;
    let last: VipSample | undefined;
    const close = () => {
      if (first && last && last !== first && (last.from ?? last.at) > first.at)
        spans.push({ from: first.at, to: last.from ?? last.at, host });
      first = last = undefined;
    };
    for (const s of list) {
      if (s.answers) {
        first ??= s;
        last = s;
      } else close();
    }
    close();
  }
  // Sweep the spans' edges; an interval opens when a second host's span starts.
  const edges = spans
    .flatMap((sp) => [
      { at: sp.from, host: sp.host, open: true },
      { at: sp.to, host: sp.host, open: false },
    ])
    .sort((a, b) => a.at - b.at || Number(a.open) - Number(b.open));
  const active = new Map<string, number>();
  const out: { from: number; to: number; hosts: string[] }[] = [];
  let open: { from: number; hosts: Set<string> } | undefined;
  for (const e of edges) {
    active.set(e.host, (active.get(e.host) ?? 0) + (e.open ? 1 : -1));
    const holders = [...active].filter(([, n]) => n > 0).map(([h]) => h);
    if (holders.length > 1) {
      open ??= { from: e.at, hosts: new Set() };
      for (const h of holders) open.hosts.add(h);
    } else if (open) {
      out.push({ from: open.from, to: e.at, hosts: [...open.hosts].sort() });
      open = undefined;
    }
  }
  return out;
}

/** The host answering for the address at the last sample of each host, if exactly one. */
export function currentHolder(samples: readonly VipSample[]): string | undefined {
  const last = new Map<string, boolean>();
  for (const s of [...samples].sort((a, b) => a.at - b.at)) last.set(s.host, s.answers);
  const holders = [...last].filter(([, a]) => a).map(([h]) => h);
  return holders.length === 1 ? holders[0] : undefined;
}
