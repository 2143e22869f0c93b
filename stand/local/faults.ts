// Faults for one stand host, as an operator would meet them on real machines: power loss (every
// process at once, disk kept), a stall (every process paused), a cut link, and one service
// stopped or killed inside the host. Proven on this machine: ../shared/notes/faults.md.
import fs from 'node:fs';
import path from 'node:path';
import { hostAddress, type StandHost } from '../../inventories/stand.js';
import { destroyHost, hostState } from './host.js';
import { hostPaths } from './paths.js';
import { isAlive, readPid, run, waitFor } from './run.js';
import { closeSshMasters, sshExec } from './ssh.js';
import { standHost, startHosts } from './stand.js';
import { hostCutOff, hostLink as link, hostStalled, unifiedCgroup } from './fault-state.js';

function requireUp(h: StandHost, fault: string): void {
  const state = hostState(h);
  if (state !== 'up')
    throw new Error(`${h.name} is ${state}: '${fault}' needs a running host (npm run fault -- start ${h.name})`);
}

/** Power loss: every process of the host ends at once; its disk (overlay upper layer) stays. */
export async function killHost(name: string): Promise<void> {
  const h = standHost(name);
  requireUp(h, 'kill');
  if (isStalled(name)) await resumeHost(name); // a frozen cgroup holds its killed processes until thawed
  fs.writeFileSync(path.join(unifiedCgroup(h), 'cgroup.kill'), '1');
  const nspawn = readPid(hostPaths(h.name).nspawnPid);
  if (!(await waitFor(() => !isAlive(nspawn), 10_000, 50)))
    throw new Error(`${h.name}: still running 10 s after cgroup.kill`);
  await closeSshMasters();
}

/** Boots a killed or wiped host again (with its disk if it has one). */
export async function startHost(name: string): Promise<void> {
  await startHosts([standHost(name).name]);
}

/** Disk loss: the host is removed with its disk; `start` then boots it blank. */
export async function wipeHost(name: string): Promise<void> {
  const h = standHost(name);
  if (isStalled(name)) await resumeHost(name);
  await destroyHost(h);
}

export function isStalled(name: string): boolean {
  return hostStalled(standHost(name));
}

/** Pauses every process of the host, as a hypervisor stall or a VM pause does. */
export async function stallHost(name: string): Promise<void> {
  const h = standHost(name);
  requireUp(h, 'stall');
  await setFrozen(h, true);
}

export async function resumeHost(name: string): Promise<void> {
  await setFrozen(standHost(name), false);
}

async function setFrozen(h: StandHost, frozen: boolean): Promise<void> {
  const dir = unifiedCgroup(h);
  fs.writeFileSync(path.join(dir, 'cgroup.freeze'), frozen ? '1' : '0');
  const settled = await waitFor(
    () => fs.readFileSync(path.join(dir, 'cgroup.events'), 'utf8').includes(`frozen ${frozen ? 1 : 0}`),
    10_000,
    20,
  );
  if (!settled) throw new Error(`${h.name}: cgroup did not become ${frozen ? 'frozen' : 'thawed'} within 10 s`);
}

export function isCutOff(name: string): boolean {
  return hostCutOff(standHost(name));
}

/** Takes the host's link to the bridge down: no traffic in or out, the controller's included. */
export async function cutOffHost(name: string): Promise<void> {
  const h = standHost(name);
  requireUp(h, 'cut');
  await run('ip', ['link', 'set', link(h), 'down']);
}

export async function reconnectHost(name: string): Promise<void> {
  const h = standHost(name);
  await run('ip', ['link', 'set', link(h), 'up']);
}

export type ServiceAction = 'stop' | 'start' | 'restart' | 'kill';

/**
 * Stops, starts or kills (SIGKILL to every process of the unit) one service inside a host.
 * `postgresql` means the postmaster Patroni runs, killed with SIGKILL while Patroni lives.
 */
export async function serviceFault(name: string, service: string, action: ServiceAction): Promise<void> {
  const h = standHost(name);
  requireUp(h, `${action} ${service}`);
  if (!/^[A-Za-z0-9@._-]+$/.test(service)) throw new Error(`'${service}' is not a systemd unit name`);
  const command =
    service === 'postgresql'
      ? postmasterCommand(action)
      : action === 'kill'
        ? `systemctl kill --signal=KILL ${service}`
        : `systemctl ${action} ${service}`;
  const r = await sshExec(hostAddress(h, 'local'), command);
  if (r.code !== 0) throw new Error(`${h.name}: '${command}' failed (${r.code}): ${(r.stderr || r.stdout).trim()}`);
}

function postmasterCommand(action: ServiceAction): string {
  if (action !== 'kill')
    throw new Error(
      `PostgreSQL is run by Patroni: '${action}' it through the patroni service or the operation playbooks`,
    );
  // The postmaster is the oldest postgres process: it starts every other one.
  return 'pid=$(pgrep -o -u postgres -x postgres) && kill -9 "$pid"';
}

/** Ends every fault: resumes stalled hosts, reconnects cut ones, boots killed ones with their disk. */
export async function healAll(names: readonly string[]): Promise<void> {
  for (const n of names) {
    if (isStalled(n)) await resumeHost(n);
    if (isCutOff(n)) await reconnectHost(n);
  }
  await startHosts(names);
}
