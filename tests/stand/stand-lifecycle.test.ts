// The local stand from nothing to nothing: up, reachability, idempotence, a host powered off
// from inside, and a down that leaves no process, mount, link or cgroup behind.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE, hostPaths, paths, STATE_DIR } from '../../stand/local/paths.js';
import { readPid } from '../../stand/local/run.js';
import { addressOf, hosts, onHost, standCli } from '../helpers/stand.js';

const statusOf = async () =>
  JSON.parse((await standCli('status', '--json')).stdout) as {
    hosts: { name: string; state: string }[];
    packageCache: string;
  };
const nspawnPids = () => hosts.map((h) => readPid(hostPaths(h.name).nspawnPid));
/** A running process's identity: PID and start time (PIDs are reused quickly on this machine);
 * undefined once it has exited, zombie included (PID 1 here reaps them a moment later). */
const startTime = (pid: number | undefined) => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
};
/** Every process whose command line names the stand's state folder (nspawn, supervisors, proxy). */
const standProcesses = () =>
  fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(STATE_DIR);
      } catch {
        return false;
      }
    });

describe.sequential('local stand lifecycle', () => {
  beforeAll(async () => {
    expect((await standCli('down')).code).toBe(0);
  });

  it('comes up from nothing with every host of the layout running', async () => {
    const r = await standCli('up');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/pg03\s+systemd running/);
    const s = await statusOf();
    expect(s.hosts.map((h) => h.state)).toEqual(hosts.map(() => 'up'));
    expect(s.packageCache).toBe('up');
  });

  it('answers SSH on every host, each with its own name and systemd running', async () => {
    for (const h of hosts) {
      const r = await onHost(h.name, 'hostname; systemctl is-system-running; cat /etc/machine-id');
      expect(r.code, r.stderr).toBe(0);
      const [name, state] = r.stdout.trim().split('\n');
      expect(name).toBe(h.name);
      expect(state).toBe('running');
    }
    const ids = await Promise.all(hosts.map(async (h) => (await onHost(h.name, 'cat /etc/machine-id')).stdout.trim()));
    expect(new Set(ids).size).toBe(hosts.length);
  });

  it('connects every host to every other over TCP', async () => {
    for (const from of hosts) {
      const targets = hosts.filter((h) => h !== from).map((h) => addressOf(h.name));
      const r = await onHost(
        from.name,
        targets.map((a) => `timeout 3 bash -c '</dev/tcp/${a}/22' && echo ok-${a}`).join('; '),
      );
      for (const a of targets) expect(r.stdout, `${from.name} -> ${a}`).toContain(`ok-${a}`);
    }
  });

  it('gives the hosts no route off the bridge', async () => {
    for (const h of hosts) {
      const r = await onHost(h.name, 'ip -4 route show');
      expect(r.stdout).not.toMatch(/^default/m);
    }
    expect(fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim()).toBe('0');
  });

  it('installs a package through the apt proxy', async () => {
    const r = await onHost(
      'pg01',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tree >/dev/null && tree --version',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^tree v/m);
  });

  it('lets every host refresh apt at once through the package cache, without a stall or a cache error', async () => {
    // Three rounds, so that hosts meet on the same files; each bounded by `timeout` on each host:
    // a stall fails here with 124, not after the test's limit. tests/stand/package-path.test.ts
    // does the same with an empty cache behind a strict and a slow upstream.
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(hosts.map((h) => onHost(h.name, 'timeout 90 apt-get update -qq')));
      for (const [i, r] of results.entries()) expect(r.code, `${hosts[i]!.name}: ${r.stderr}`).toBe(0);
    }
    const errors = path.join(paths.packageCacheDir, 'log', 'error.log');
    expect(fs.existsSync(errors) ? fs.readFileSync(errors, 'utf8') : '').not.toMatch(/\[(crit|alert|emerg)\]/);
  });

  it('changes nothing on a second up', async () => {
    const before = nspawnPids();
    expect((await standCli('up')).code).toBe(0);
    expect(nspawnPids()).toEqual(before);
  });

  it('shows a host powered off from inside as down, and brings it back with up', async () => {
    await onHost('pg03', 'systemctl poweroff');
    let state = '';
    for (let i = 0; i < 60 && state !== 'down'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      state = (await statusOf()).hosts.find((h) => h.name === 'pg03')!.state;
    }
    expect(state).toBe('down');
    expect((await standCli('up')).code).toBe(0);
    expect((await statusOf()).hosts.map((h) => h.state)).toEqual(hosts.map(() => 'up'));
    expect((await onHost('pg03', 'systemctl is-system-running')).stdout.trim()).toBe('running');
  });

  it('goes down leaving nothing behind, and down is idempotent', async () => {
    const pids = [
      readPid(paths.packageCachePid),
      ...nspawnPids(),
      ...hosts.map((h) => readPid(hostPaths(h.name).supervisorPid)),
    ];
    const running = pids.map((pid) => [pid, startTime(pid)] as const);
    expect(running.every(([, t]) => t !== undefined)).toBe(true);
    // The package cache, and each host's nspawn and supervisor.
    expect(standProcesses().length).toBeGreaterThanOrEqual(1 + 2 * hosts.length);
    expect((await standCli('down')).code).toBe(0);
    for (const [pid, t] of running) expect(startTime(pid), `pid ${pid} still running`).not.toBe(t);
    expect(standProcesses()).toEqual([]);
    const mounts = fs.readFileSync('/proc/self/mounts', 'utf8');
    expect(mounts).not.toContain(STATE_DIR);
    const links = fs.readdirSync('/sys/class/net');
    expect(links).not.toContain(BRIDGE);
    expect(links.filter((l) => l.startsWith('vb-'))).toEqual([]);
    for (const dir of paths.cgroupRoots) expect(fs.existsSync(dir), dir).toBe(false);
    expect(fs.existsSync(STATE_DIR)).toBe(false);
    expect((await statusOf()).hosts.map((h) => h.state)).toEqual(hosts.map(() => 'down'));
    expect((await standCli('down')).code).toBe(0);
  });
});
