// The stand's private bridge. The machine keeps .1; nothing is forwarded off the bridge.
import fs from 'node:fs';
import { gatewayAddress } from '../../inventories/stand.js';
import { BRIDGE, BRIDGE_MAC } from './paths.js';
import { run, tryRun } from './run.js';

export function bridgeExists(): boolean {
  return fs.existsSync(`/sys/class/net/${BRIDGE}`);
}

export async function bridgeUp(): Promise<void> {
  const forwarding = fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
  if (forwarding !== '0') {
    throw new Error(
      `net.ipv4.ip_forward is ${forwarding}: the stand refuses to start because traffic from its hosts could leave the bridge. Set it to 0 first.`,
    );
  }
  // A fixed address: a bridge otherwise takes the lowest of its ports' addresses, so it changes
  // when a host's port goes (a host killed), and every host's ARP entry for the machine goes stale
  // for seconds: clients on the machine lose the cluster for a fault that has nothing to do with it.
  if (!bridgeExists()) await run('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  await run('ip', ['link', 'set', BRIDGE, 'address', BRIDGE_MAC]);
  const addrs = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', BRIDGE]);
  if (!addrs.includes(`${gatewayAddress('local')}/24`)) {
    await run('ip', ['addr', 'add', `${gatewayAddress('local')}/24`, 'dev', BRIDGE]);
  }
  await run('ip', ['link', 'set', BRIDGE, 'up']);
}

export async function bridgeDown(): Promise<void> {
  if (bridgeExists()) await tryRun('ip', ['link', 'del', BRIDGE]);
}
