// The local stand as a whole: up, down and status over its hosts (in one of the definition's
// layouts), the bridge and the proxy.
import fs from 'node:fs';
import path from 'node:path';
import { stand, hostAddress, layoutHosts, type StandHost, type StandLayout } from '../../inventories/stand.js';
import { packageCacheDown, packageCacheRunning, packageCacheUp, packageCacheUrl } from './package-cache.js';
import { baseExists, ensureBaseImage } from './base-image.js';
import { hostKeyLine, destroyHost, hostState, prepareHost, startHost, waitRunning, type HostState } from './host.js';
import { bridgeDown, bridgeExists, bridgeUp } from './network.js';
import { hostPaths, paths, STATE_DIR } from './paths.js';
import { hostCutOff, hostStalled } from './fault-state.js';
import { activeHosts, activeLayout, recordLayout } from './layout.js';
import { progress } from './run.js';
import { ensureSshKey, sshExec } from './ssh.js';

const REQUIRED_TOOLS = ['systemd-nspawn', 'debootstrap', 'nginx', 'ip', 'mount'];

function checkMachine(): void {
  if (process.getuid?.() !== 0)
    throw new Error('The local stand needs root (it creates a bridge, mounts and containers).');
  const missing = REQUIRED_TOOLS.filter((t) => !process.env.PATH?.split(':').some((d) => fs.existsSync(`${d}/${t}`)));
  if (missing.length)
    throw new Error(
      `Missing on this machine: ${missing.join(', ')}. Run 'npm run setup' first (it installs systemd-container, debootstrap and nginx-light).`,
    );
}

/**
 * Brings the stand up in a layout (by default the one that is up, else `default`). Moving to a
 * smaller layout removes the hosts it leaves out; a larger one adds its hosts, blank.
 */
export async function standUp(layout: StandLayout = activeLayout()): Promise<void> {
  const keep = new Set(stand.layouts[layout] as readonly string[]);
  for (const h of stand.hosts.filter((x) => !keep.has(x.name) && fs.existsSync(paths.hostDir(x.name)))) {
    progress(h.name, `not in layout '${layout}': removing`);
    await destroyHost(h);
  }
  recordLayout(layout);
  await startHosts(layoutHosts(layout).map((h) => h.name));
}

/**
 * Starts the named hosts that are not running. A host that crashed (killed, power loss) boots
 * again with its disk, like a VM after a power failure; a host with no disk boots blank.
 */
export async function startHosts(names: readonly string[]): Promise<void> {
  checkMachine();
  await ensureSshKey();
  if (!baseExists()) await ensureBaseImage();
  progress('stand', 'bridge and package cache');
  await bridgeUp();
  fs.rmSync(paths.oldAptCache, { recursive: true, force: true });
  await packageCacheUp();
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const hosts = names.map(standHost);
  const toStart = hosts.filter((h) => hostState(h) !== 'up');
  for (const h of toStart) {
    const state = hostState(h);
    progress(
      h.name,
      state === 'crashed' ? 'crashed earlier: booting it again with its disk' : 'preparing overlay root',
    );
    await prepareHost(h);
  }
  writeKnownHosts();
  await Promise.all(
    toStart.map(async (h) => {
      progress(h.name, 'booting');
      await startHost(h);
    }),
  );
  await Promise.all(
    hosts.map(async (h) => {
      const state = await waitRunning(h, sshExec);
      progress(h.name, `systemd ${state} at ${hostAddress(h, 'local')}`);
    }),
  );
}

/** The stand host of that name, or an error listing the names there are. */
export function standHost(name: string): StandHost {
  const h = activeHosts().find((x) => x.name === name);
  if (!h)
    throw new Error(
      `no stand host '${name}' in layout '${activeLayout()}': it has ${activeHosts()
        .map((x) => x.name)
        .join(', ')}`,
    );
  return h;
}

/** SSH trusts the keys of every host that has a disk (a host started blank has new keys). */
function writeKnownHosts(): void {
  const withDisk = stand.hosts.filter((h) => fs.existsSync(hostPaths(h.name).dir + '/identity'));
  fs.writeFileSync(paths.knownHosts, withDisk.map(hostKeyLine).join('\n') + '\n');
}

export async function standDown(): Promise<void> {
  await Promise.all(
    stand.hosts.map(async (h) => {
      if (fs.existsSync(paths.hostDir(h.name))) progress(h.name, 'stopping');
      await destroyHost(h);
    }),
  );
  await packageCacheDown();
  await bridgeDown();
  for (const root of paths.cgroupRoots) await removeCgroupRoot(root);
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
}

/**
 * A killed host's last processes leave its cgroup a moment after they die (longer on a loaded
 * machine): retry for 10 s, then say what still holds it.
 */
async function removeCgroupRoot(root: string): Promise<void> {
  const removeTree = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) removeTree(path.join(dir, e.name));
    fs.rmdirSync(dir);
  };
  for (let attempt = 0; fs.existsSync(root); attempt++) {
    try {
      removeTree(root);
    } catch (e) {
      if (attempt >= 40) throw new Error(`${root} is still busy after 10 s: ${String(e)}`, { cause: e });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface StandStatus {
  hosts: { name: string; address: string; state: HostState | 'stalled' | 'cut off'; memoryMiB?: number }[];
  packageCache: 'up' | 'down';
  bridge: 'up' | 'down';
}

export function standStatus(): StandStatus {
  return {
    hosts: activeHosts().map((h) => {
      const up = hostState(h);
      const state =
        up !== 'up' ? up : hostStalled(h) ? ('stalled' as const) : hostCutOff(h) ? ('cut off' as const) : up;
      return {
        name: h.name,
        address: hostAddress(h, 'local'),
        state,
        ...(up === 'up' ? { memoryMiB: hostMemoryMiB(h.name) } : {}),
      };
    }),
    packageCache: packageCacheRunning() ? 'up' : 'down',
    bridge: bridgeExists() ? 'up' : 'down',
  };
}

/** Resident memory of every process in a host's cgroup tree (cgroup v1 memory is not per host here). */
function hostMemoryMiB(host: string): number {
  let kib = 0;
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(`${dir}/${e.name}`);
    const procs = fs.existsSync(`${dir}/cgroup.procs`)
      ? fs.readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)
      : [];
    for (const pid of procs) {
      try {
        kib += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        /* exited */
      }
    }
  };
  walk(paths.cgroupDirs(host)[1]!);
  return Math.round(kib / 1024);
}

export function formatStandStatus(s: StandStatus): string {
  const rows = [
    ['HOST', 'ADDRESS', 'STATE', 'RSS'],
    ...s.hosts.map((h) => [h.name, h.address, h.state, h.memoryMiB === undefined ? '' : `${h.memoryMiB} MiB`]),
  ];
  rows.push(['package-cache', packageCacheUrl(), s.packageCache, '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
