// Where the local stand keeps its files. The cache (base image, apt cache, SSH key) is shared
// by every clone on the machine; the state directory holds what one running stand needs.
import path from 'node:path';

export const STAND_NAME = 'pgha';
export const BRIDGE = 'pgha0';
/** Locally administered, fixed (see network.ts). */
export const BRIDGE_MAC = '02:70:67:68:61:01';
/** The package cache (nginx) on the bridge address; apt in the hosts uses it as its HTTP proxy. */
export const PACKAGE_CACHE_PORT = 3142;

export const CACHE_DIR = process.env.PGHA_STAND_CACHE ?? '/var/cache/pgha-stand';
export const STATE_DIR = process.env.PGHA_STAND_STATE ?? '/var/lib/pgha-stand';

export const paths = {
  base: path.join(CACHE_DIR, 'base-bookworm'),
  baseBuilding: path.join(CACHE_DIR, 'base-bookworm.building'),
  packageCache: path.join(CACHE_DIR, 'packages'),
  /** apt-cacher-ng's cache, from before nginx: removed on the next up. */
  oldAptCache: path.join(CACHE_DIR, 'apt-cacher-ng'),
  sshKey: path.join(CACHE_DIR, 'ssh', 'id_ed25519'),
  knownHosts: path.join(STATE_DIR, 'known_hosts'),
  /** Ansible's shared SSH connections (ansible.cfg's control_path_dir). */
  sshControlDir: path.join(STATE_DIR, 'ssh-control'),
  packageCacheDir: path.join(STATE_DIR, 'package-cache'),
  packageCachePid: path.join(STATE_DIR, 'package-cache', 'pid'),
  hostDir: (host: string) => path.join(STATE_DIR, 'hosts', host),
  hostsDir: path.join(STATE_DIR, 'hosts'),
  cgroupDirs: (host: string) => [
    path.join('/sys/fs/cgroup/systemd', STAND_NAME, host),
    path.join('/sys/fs/cgroup/unified', STAND_NAME, host),
  ],
  cgroupRoots: [path.join('/sys/fs/cgroup/systemd', STAND_NAME), path.join('/sys/fs/cgroup/unified', STAND_NAME)],
};

/** Per-host layout: overlay layers, the merged root and the supervisor's bookkeeping. */
export function hostPaths(host: string) {
  const dir = paths.hostDir(host);
  return {
    dir,
    upper: path.join(dir, 'upper'),
    work: path.join(dir, 'work'),
    root: path.join(dir, 'root'),
    supervisorPid: path.join(dir, 'supervisor.pid'),
    nspawnPid: path.join(dir, 'nspawn.pid'),
    exitCode: path.join(dir, 'exit.code'),
    log: path.join(dir, 'console.log'),
  };
}
