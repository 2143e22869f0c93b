// One host of the local stand: its overlay root, its supervisor process and its state.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stand, hostAddress, type StandHost } from '../../inventories/stand.js';
import { packageCacheUrl } from './package-cache.js';
import { BRIDGE, paths, hostPaths } from './paths.js';
import { isAlive, readPid, run, spawnDetached, tryRun, waitFor } from './run.js';
import { closeSshMasters } from './ssh.js';

const SUPERVISOR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'supervisor.sh');

export type HostState = 'up' | 'down' | 'crashed';

export function hostState(host: StandHost): HostState {
  const p = hostPaths(host.name);
  if (isAlive(readPid(p.nspawnPid))) return 'up';
  if (!fs.existsSync(p.dir)) return 'down';
  const code = fs.existsSync(p.exitCode) ? fs.readFileSync(p.exitCode, 'utf8').trim() : undefined;
  // Powered off from inside: nspawn exits 0. Anything else (killed, failed boot) is a crash.
  if (code === '0') return 'down';
  if (code === undefined && !isAlive(readPid(p.supervisorPid)) && !isMounted(p.root)) return 'down';
  return 'crashed';
}

function isMounted(dir: string): boolean {
  const target = path.resolve(dir);
  return fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === target);
}

export function etcHosts(): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const h of stand.hosts) lines.push(`${hostAddress(h, 'local')}\t${h.name}.${stand.domain}\t${h.name}`);
  return lines.join('\n') + '\n';
}

/**
 * apt through the stand's package cache. No pipelined requests: when a proxy closed a connection
 * with requests still in its pipeline (apt-cacher-ng did), apt-get update waited forever on a
 * socket in CLOSE_WAIT (seen on pg03: 15 min, no timeout fired). A stalled request times out and
 * is retried; the roles bound every apt call on their own as well (roles-src/packages.ts).
 */
function aptProxyConfig(): string {
  return [
    `Acquire::http::Proxy "${packageCacheUrl()}";`,
    'Acquire::http::Pipeline-Depth "0";',
    'Acquire::http::Timeout "30";',
    'Acquire::Retries "3";',
    '',
  ].join('\n');
}

/** Mounts the host's overlay and, the first time, gives it its identity. */
export async function prepareHost(host: StandHost): Promise<void> {
  const p = hostPaths(host.name);
  for (const d of [p.upper, p.work, p.root]) fs.mkdirSync(d, { recursive: true });
  if (!isMounted(p.root)) {
    await run('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${paths.base},upperdir=${p.upper},workdir=${p.work}`,
      p.root,
    ]);
  }
  const at = (f: string) => path.join(p.root, f);
  fs.writeFileSync(at('etc/apt/apt.conf.d/01pgha-proxy'), aptProxyConfig());
  const marker = path.join(p.dir, 'identity');
  if (fs.existsSync(marker)) return;
  fs.writeFileSync(at('etc/hostname'), `${host.name}\n`);
  fs.writeFileSync(at('etc/hosts'), etcHosts());
  fs.writeFileSync(at('etc/machine-id'), `${(await run('systemd-id128', ['new'])).trim()}\n`);
  await run('ssh-keygen', ['-A', '-f', p.root]);
  fs.mkdirSync(at('etc/systemd/network'), { recursive: true });
  fs.writeFileSync(
    at('etc/systemd/network/10-pgha-host0.network'),
    `[Match]\nName=host0\n\n[Network]\nAddress=${hostAddress(host, 'local')}/24\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n`,
  );
  // The stand's hosts are disposable: dpkg need not sync every file it unpacks (a fresh deploy
  // spends most of its time in dpkg), and no host here reads manuals or package docs.
  fs.writeFileSync(
    at('etc/dpkg/dpkg.cfg.d/01pgha-stand'),
    'force-unsafe-io\npath-exclude=/usr/share/doc/*\npath-include=/usr/share/doc/*/copyright\npath-exclude=/usr/share/man/*\n',
  );
  fs.writeFileSync(marker, `${hostAddress(host, 'local')}\n`);
}

export function hostKeyLine(host: StandHost): string {
  const key = fs
    .readFileSync(path.join(hostPaths(host.name).root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8')
    .trim()
    .split(' ');
  return `${hostAddress(host, 'local')},${host.name},${host.name}.${stand.domain} ${key[0]} ${key[1]}`;
}

export async function startHost(host: StandHost): Promise<void> {
  const p = hostPaths(host.name);
  if (isAlive(readPid(p.nspawnPid))) return;
  fs.rmSync(p.exitCode, { force: true });
  await cleanupLink(host);
  const pid = spawnDetached(
    'sh',
    [SUPERVISOR, host.name, p.root, BRIDGE, p.dir, ...paths.cgroupDirs(host.name)],
    p.log,
  );
  fs.writeFileSync(p.supervisorPid, `${pid}\n`);
  const started = await waitFor(() => isAlive(readPid(p.nspawnPid)), 10_000, 50);
  if (!started) throw new Error(`${host.name}: systemd-nspawn did not start; see ${p.log}`);
}

/** Waits for the host's systemd to finish booting and reports its state. */
export async function waitRunning(
  host: StandHost,
  sshExec: (a: string, c: string) => Promise<{ code: number; stdout: string }>,
): Promise<string> {
  const address = hostAddress(host, 'local');
  let state = '';
  const ok = await waitFor(
    async () => {
      const r = await sshExec(address, 'systemctl is-system-running --wait');
      state = r.stdout.trim();
      return state === 'running' || state === 'degraded';
    },
    90_000,
    300,
  );
  if (!ok)
    throw new Error(
      `${host.name}: not reachable over SSH at ${address} after 90 s (last state: '${state || 'no answer'}'). See ${hostPaths(host.name).log}; 'npm run stand:down' then 'npm run stand:up' starts it afresh.`,
    );
  return state;
}

async function cleanupLink(host: StandHost): Promise<void> {
  if (fs.existsSync(`/sys/class/net/vb-${host.name}`)) await tryRun('ip', ['link', 'del', `vb-${host.name}`]);
}

function removeCgroupTree(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) removeCgroupTree(path.join(dir, e.name));
  }
  try {
    fs.rmdirSync(dir);
  } catch {
    /* still has processes: reported by the caller */
  }
}

/** Powers the host off (SIGTERM to nspawn), kills it after a timeout, and removes every trace. */
export async function destroyHost(host: StandHost): Promise<void> {
  const p = hostPaths(host.name);
  await closeSshMasters();
  // A stalled host must run again to power off (and a frozen cgroup holds even killed processes).
  const freeze = path.join(paths.cgroupDirs(host.name)[1]!, 'cgroup.freeze');
  if (fs.existsSync(freeze) && fs.readFileSync(freeze, 'utf8').trim() === '1') fs.writeFileSync(freeze, '0');
  const nspawn = readPid(p.nspawnPid);
  const supervisor = readPid(p.supervisorPid);
  if (isAlive(nspawn)) {
    process.kill(nspawn!, 'SIGTERM');
    if (!(await waitFor(() => !isAlive(nspawn), 15_000))) {
      process.stderr.write(`[stand] ${host.name}: no clean power-off after 15 s, killing nspawn ${nspawn}\n`);
      process.kill(nspawn!, 'SIGKILL');
      await waitFor(() => !isAlive(nspawn), 5_000);
    }
  }
  if (isAlive(supervisor)) {
    process.kill(supervisor!, 'SIGKILL');
    await waitFor(() => !isAlive(supervisor), 5_000);
  }
  // Processes left in the host's cgroups (should be none) are the stand's own: end them by PID.
  for (const cg of paths.cgroupDirs(host.name)) killCgroup(cg);
  if (isMounted(p.root)) await run('umount', [p.root]);
  await cleanupLink(host);
  for (const cg of paths.cgroupDirs(host.name)) removeCgroupTree(cg);
  fs.rmSync(`/run/systemd/nspawn/propagate/${host.name}`, { recursive: true, force: true });
  fs.rmSync(p.dir, { recursive: true, force: true });
}

function killCgroup(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) killCgroup(path.join(dir, e.name));
  }
  const procs = path.join(dir, 'cgroup.procs');
  if (!fs.existsSync(procs)) return;
  for (const pid of fs.readFileSync(procs, 'utf8').split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
