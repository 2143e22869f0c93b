// Watches which hosts hold the virtual IP, a few times a second, from inside each host's network
// namespace. A holder answers for the address only while its link is up and it runs (a cut-off
// host keeps the address but no one reaches it); two answering holders at once is the address's
// split brain.
import { hostHasAddress } from '../local/netns.js';
import { isCutOff, isStalled } from '../local/faults.js';

export interface VipSample {
  at: number;
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
      this.samples.push({ at: performance.now(), host, holds, answers });
      await new Promise((r) => setTimeout(r, Math.max(0, this.intervalMs - (performance.now() - t0))));
    }
  }
}

/** Intervals (ms, performance clock) during which two or more hosts answered for the address. */
export function doubleHolderIntervals(samples: readonly VipSample[]): { from: number; to: number; hosts: string[] }[] {
  const state = new Map<string, boolean>();
  const out: { from: number; to: number; hosts: string[] }[] = [];
  let open: { from: number; hosts: string[] } | undefined;
  for (const s of [...samples].sort((a, b) => a.at - b.at)) {
    state.set(s.host, s.answers);
    const holders = [...state]
      .filter(([, a]) => a)
      .map(([h]) => h)
      .sort();
    if (holders.length > 1 && !open) open = { from: s.at, hosts: holders };
    else if (holders.length <= 1 && open) {
      out.push({ ...open, to: s.at });
      open = undefined;
    }
  }
  if (open) out.push({ ...open, to: samples.at(-1)?.at ?? open.from });
  return out;
}

/** The host answering for the address at the last sample of each host, if exactly one. */
export function currentHolder(samples: readonly VipSample[]): string | undefined {
  const last = new Map<string, boolean>();
  for (const s of [...samples].sort((a, b) => a.at - b.at)) last.set(s.host, s.answers);
  const holders = [...last].filter(([, a]) => a).map(([h]) => h);
  return holders.length === 1 ? holders[0] : undefined;
}
