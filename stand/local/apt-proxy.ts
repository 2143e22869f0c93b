// apt-cacher-ng for the hosts, bound only to the bridge address, with a private configuration
// that has no Remap rules: requests go only to the mirror the hosts' sources name.
import fs from 'node:fs';
import path from 'node:path';
import { gatewayAddress } from '../../inventories/stand.js';
import { APT_PROXY_PORT, paths } from './paths.js';
import { isAlive, readPid, spawnDetached, waitFor } from './run.js';
import net from 'node:net';

export function aptProxyUrl(): string {
  return `http://${gatewayAddress('local')}:${APT_PROXY_PORT}`;
}

export function aptProxyRunning(): boolean {
  return isAlive(readPid(paths.aptProxyPid));
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 500 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      resolve(false);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function aptProxyUp(): Promise<void> {
  if (aptProxyRunning()) return;
  const conf = path.join(paths.aptProxyDir, 'conf');
  const logs = path.join(paths.aptProxyDir, 'log');
  fs.mkdirSync(conf, { recursive: true });
  fs.mkdirSync(logs, { recursive: true });
  fs.mkdirSync(paths.aptCache, { recursive: true });
  fs.writeFileSync(
    path.join(conf, 'acng.conf'),
    [
      `CacheDir: ${paths.aptCache}`,
      `LogDir: ${logs}`,
      `Port: ${APT_PROXY_PORT}`,
      `BindAddress: ${gatewayAddress('local')}`,
      'ConnectProto: v4',
      'PassThroughPattern: ^$',
      'ForeGround: 1',
      `PidFile: ${path.join(paths.aptProxyDir, 'acng.pid')}`,
      `SocketPath: ${path.join(paths.aptProxyDir, 'socket')}`,
      'ExThreshold: 30',
      // The release files (InRelease, Release, Release.gpg) pass through uncached. apt asks for
      // them on every update and apt-cacher-ng fetches them from the mirror each time anyway (its
      // log shows an inbound transfer per host request, whatever FreshIndexMaxAge or apt's
      // Max-Age say); when several hosts did that for the same file in the same second, it failed
      // to move the old copy aside ("Failure to move file ... errno: File exists" in its error
      // log), dropped their connections, and apt-get update waited forever. Everything else
      // apt fetches is named by its hash (by-hash) and never changes: cached as before.
      'DontCache: /(In)?Release(\\.gpg)?$',
      '',
    ].join('\n'),
  );
  const pid = spawnDetached('apt-cacher-ng', ['-c', conf], path.join(logs, 'stderr.log'));
  fs.writeFileSync(paths.aptProxyPid, `${pid}\n`);
  const ok = await waitFor(() => portOpen(gatewayAddress('local'), APT_PROXY_PORT), 10_000);
  if (!ok) throw new Error(`apt-cacher-ng did not start listening on ${aptProxyUrl()}; see ${logs}/stderr.log`);
}

export async function aptProxyDown(): Promise<void> {
  const pid = readPid(paths.aptProxyPid);
  if (isAlive(pid)) {
    process.kill(pid!, 'SIGTERM');
    if (!(await waitFor(() => !isAlive(pid), 5000))) process.kill(pid!, 'SIGKILL');
    await waitFor(() => !isAlive(pid), 5000);
  }
  fs.rmSync(paths.aptProxyDir, { recursive: true, force: true });
}
