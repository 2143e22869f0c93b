import { readMembers } from './stand/ha/cluster-view.js';
const t0 = Date.now();
while (Date.now() - t0 < 600_000) {
  const m = await readMembers().catch(() => undefined);
  console.log(new Date().toISOString(), (m ?? []).map((x) => `${x.name}:${x.role}:${x.state}`).join(' '));
  await new Promise((r) => setTimeout(r, 2000));
}
