// Benchmark: what a client writing through the virtual IP's read-write port every 100 ms sees during a
// switchover (out/switchover.yml): the longest gap between acknowledged writes and lost writes.
// It prints figures; it never fails on a slow day.
import { PORTS } from '../roles-src/ports.js';
import { vipAddress } from '../inventories/stand.js';
import { runPlaybook } from '../ops/play.js';
import { activeInventory } from './local/layout.js';
import { WriteProbe } from './write-probe.js';

export async function benchSwitchover(rounds: number): Promise<void> {
  const rows: string[] = [];
  for (let i = 1; i <= rounds; i++) {
    const probe = new WriteProbe({
      host: vipAddress('local'),
      port: PORTS.readWrite,
    });
    await probe.start();
    await new Promise((r) => setTimeout(r, 2000));
    await runPlaybook('switchover', [], activeInventory());
    await new Promise((r) => setTimeout(r, 2000));
    const r = await probe.stop();
    rows.push(
      `| switchover ${i} | ${r.longestGapSeconds.toFixed(1)} s | ${r.lost} | ${r.acknowledged} | ${r.failed} |`,
    );
  }
  console.log(
    [
      '| scenario | write unavailability | acknowledged writes lost | acknowledged | failed attempts |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}
