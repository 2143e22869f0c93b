// apt-cacher-ng for the hosts, bound only to the bridge address, with a private configuration
// that has no Remap rules: requests go only to the mirror the hosts' sources name.
import fs from 'node:fs';
import path from 'node:path';
import { gatewayAddress } from '../../inventories/stand.js';
import { APT_PROXY_PORT, paths } from './paths.js';
import { isAlive, readPid, spawnDetached, waitFor } from './run.js';
import http from 'node:http';
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
      // An index file is fetched once an hour at most (the default is 27 s): see prewarmIndexes.
      'FreshIndexMaxAge: 3600',
      '',
    ].join('\n'),
  );
  const pid = spawnDetached('apt-cacher-ng', ['-c', conf], path.join(logs, 'stderr.log'));
  fs.writeFileSync(paths.aptProxyPid, `${pid}\n`);
  const ok = await waitFor(() => portOpen(gatewayAddress('local'), APT_PROXY_PORT), 10_000);
  if (!ok) throw new Error(`apt-cacher-ng did not start listening on ${aptProxyUrl()}; see ${logs}/stderr.log`);
  await prewarmIndexes();
}

/**
 * Asks the new apt-cacher-ng once for each InRelease the hosts' sources name, before any host
 * runs apt. When several hosts refresh the same cached index in the same second, apt-cacher-ng
 * fails to move the old file aside ("Failure to move file ... errno: File exists" in its error
 * log) and drops their connections, and apt-get update then waits forever (seen twice on a
 * fresh deploy of four hosts after an `up`). Refreshed here, the index stays fresh for the
 * hosts' requests of the next hour (FreshIndexMaxAge). A failure here is only a warning: apt in
 * the hosts fetches the index itself then.
 */
async function prewarmIndexes(): Promise<void> {
  const sourcesDir = path.join(paths.base, 'etc/apt/sources.list.d');
  if (!fs.existsSync(sourcesDir)) return;
  const urls: string[] = [];
  for (const f of fs.readdirSync(sourcesDir).filter((n) => n.endsWith('.sources'))) {
    // deb822 stanzas: URIs and Suites lines (one URI per stanza in the base image).
    for (const stanza of fs.readFileSync(path.join(sourcesDir, f), 'utf8').split(/\n\s*\n/)) {
      const field = (name: string) =>
        new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
      for (const uri of field('URIs'))
        for (const suite of field('Suites')) urls.push(`${uri.replace(/\/$/, '')}/dists/${suite}/InRelease`);
    }
  }
  for (const url of urls) {
    const status = await new Promise<string>((resolve) => {
      const req = http.get(
        {
          host: gatewayAddress('local'),
          port: APT_PROXY_PORT,
          path: url,
          headers: { host: new URL(url).host },
          timeout: 60_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            resolve(String(res.statusCode));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
      req.on('error', (e) => {
        resolve(e.message);
      });
    });
    if (status !== '200')
      process.stderr.write(`[stand] apt proxy: ${url}: ${status} (the hosts fetch it themselves)\n`);
  }
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
