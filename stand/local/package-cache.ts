// The stand hosts' package path: nginx (Debian's nginx-light) on the bridge address, an HTTP
// proxy for apt that caches what it fetches from the mirrors the machine's own apt sources name,
// and nothing else. Chosen over apt-cacher-ng by measurement (docs/stand.md, "The package path"):
// nginx builds each upstream request itself (one Host header, which a strict upstream requires)
// and collapses concurrent misses of one file into one upstream request (proxy_cache_lock), so
// four hosts updating at once with an empty cache neither race nor wait on a truncated answer.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { execa } from 'execa';
import { gatewayAddress } from '../../inventories/stand.js';
import { machineMirrors, type Mirror } from './mirrors.js';
import { CACHE_DIR, PACKAGE_CACHE_PORT, paths } from './paths.js';
import { isAlive, readPid, spawnDetached, waitFor } from './run.js';

export function packageCacheUrl(): string {
  return `http://${gatewayAddress('local')}:${PACKAGE_CACHE_PORT}`;
}

export function packageCacheRunning(): boolean {
  return isAlive(readPid(paths.packageCachePid));
}

/** Where the cache's log lines go: the path named in every package-path failure message. */
export const packageCacheLog = () => path.join(paths.packageCacheDir, 'log', 'access.log');

export interface PackageCacheOptions {
  /** The cache folder, in the stand's cache folder (default: the machine's shared one). A test passes an empty one. */
  cacheDir?: string;
  /** host:port every mirror is fetched from instead of the mirror itself (tests: a strict or slow upstream). */
  upstream?: string;
}

/** Seconds. nginx gives up on a silent upstream before apt (30 s) gives up on nginx: apt then gets a 504 it reports. */
export const UPSTREAM_READ_TIMEOUT = 25;

/** nginx's configuration: pure, so that a unit test reads it. */
export function packageCacheConfig(o: {
  listen: string;
  stateDir: string;
  cacheDir: string;
  mirrors: readonly Mirror[];
  upstream?: string;
  user?: string;
}): string {
  const log = path.join(o.stateDir, 'log');
  const tmp = path.join(o.stateDir, 'tmp');
  const upstreams = o.mirrors.map((m, i) => {
    const server = o.upstream ?? `${m.host}:${m.port}`;
    return `  upstream pgha_mirror_${i} { server ${server} max_fails=0; keepalive 8; }`;
  });
  const byHost = o.mirrors.map((m, i) => `    ${m.host} pgha_mirror_${i};`);
  // A test's upstream speaks plain HTTP on the bridge; a mirror keeps its own scheme.
  const schemes = o.mirrors.map((m) => `    ${m.host} ${o.upstream ? 'http' : m.scheme};`);
  return [
    '# Written by stand/local/package-cache.ts on each start; not for editing.',
    ...(o.user ? [`user ${o.user};`] : []),
    'daemon off;',
    'worker_processes 1;',
    `pid ${path.join(o.stateDir, 'nginx.pid')};`,
    `error_log ${path.join(log, 'error.log')} warn;`,
    'events { worker_connections 512; }',
    'http {',
    '  log_format pgha \'$time_iso8601 $remote_addr "$request" $status $body_bytes_sent \'',
    "                  'cache=$upstream_cache_status upstream=$upstream_status $upstream_response_time';",
    `  access_log ${path.join(log, 'access.log')} pgha;`,
    `  client_body_temp_path ${tmp}/body;`,
    `  proxy_temp_path ${tmp}/proxy;`,
    `  fastcgi_temp_path ${tmp}/fastcgi;`,
    `  uwsgi_temp_path ${tmp}/uwsgi;`,
    `  scgi_temp_path ${tmp}/scgi;`,
    // Packages and by-hash indexes never change under one name: kept 60 days after their last use.
    `  proxy_cache_path ${o.cacheDir} levels=1:2 keys_zone=pgha_debs:16m max_size=8g inactive=60d use_temp_path=off;`,
    ...upstreams,
    // Only the machine's own mirrors: any other host is refused, never fetched.
    '  map $host $pgha_upstream {',
    '    default "";',
    ...byHost,
    '  }',
    '  map $host $pgha_scheme {',
    '    default http;',
    ...schemes,
    '  }',
    '  server {',
    `    listen ${o.listen};`,
    '    server_name _;',
    '    if ($pgha_upstream = "") { return 403; }',
    '    proxy_cache pgha_debs;',
    '    proxy_cache_key $host$uri;',
    // Concurrent misses of one file: one upstream request, the others wait for its copy.
    '    proxy_cache_lock on;',
    '    proxy_cache_lock_timeout 120s;',
    '    proxy_cache_lock_age 120s;',
    '    proxy_cache_revalidate on;',
    // A mirror that fails or cannot be reached: a copy the cache has is served instead.
    '    proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;',
    '    proxy_ignore_headers Cache-Control Expires Set-Cookie X-Accel-Expires;',
    // A client that gives up (apt's retry, a killed attempt) leaves the fetch going into the cache.
    '    proxy_ignore_client_abort on;',
    '    proxy_http_version 1.1;',
    // nginx writes every header of the upstream request once: Host is the mirror's name.
    '    proxy_set_header Host $host;',
    '    proxy_set_header Connection "";',
    '    proxy_ssl_server_name on;',
    '    proxy_ssl_name $host;',
    '    proxy_connect_timeout 10s;',
    `    proxy_read_timeout ${UPSTREAM_READ_TIMEOUT}s;`,
    `    proxy_send_timeout ${UPSTREAM_READ_TIMEOUT}s;`,
    '    proxy_next_upstream error timeout http_502 http_503 http_504;',
    '    proxy_next_upstream_tries 3;',
    '    proxy_next_upstream_timeout 60s;',
    '    add_header X-Pgha-Cache $upstream_cache_status always;',
    '    location ~ /(pool|by-hash)/ {',
    '      proxy_pass $pgha_scheme://$pgha_upstream;',
    '      proxy_cache_valid 200 60d;',
    '    }',
    // Release files and indexes under their own names change when the mirror does: looked at
    // again after 5 minutes (one request, the others get the copy meanwhile).
    '    location / {',
    '      proxy_pass $pgha_scheme://$pgha_upstream;',
    '      proxy_cache_valid 200 5m;',
    '      proxy_cache_background_update on;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
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

/** Starts the cache unless it runs; `options` (tests) restart it with another cache or upstream. */
export async function packageCacheUp(options: PackageCacheOptions = {}): Promise<void> {
  const custom = options.cacheDir !== undefined || options.upstream !== undefined;
  if (packageCacheRunning()) {
    if (!custom && !fs.existsSync(path.join(paths.packageCacheDir, 'custom'))) return;
    await packageCacheDown();
  }
  const dir = paths.packageCacheDir;
  const cacheDir = options.cacheDir ?? paths.packageCache;
  if (path.dirname(cacheDir) !== CACHE_DIR) throw new Error(`a package cache folder lies in ${CACHE_DIR}: ${cacheDir}`);
  // nginx's workers run as www-data (Debian's web user): they own what they write, nothing else.
  const user = 'www-data';
  for (const d of ['log', 'tmp']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  // The workers pass through the stand's cache folder to theirs: traverse, not list or read (the
  // SSH key beside it stays root's, in a 0700 folder of its own).
  fs.chmodSync(path.dirname(cacheDir), 0o711);
  for (const d of [path.join(dir, 'tmp'), cacheDir]) await execa('chown', ['-R', `${user}:${user}`, d]);
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    packageCacheConfig({
      listen: `${gatewayAddress('local')}:${PACKAGE_CACHE_PORT}`,
      stateDir: dir,
      cacheDir,
      mirrors: machineMirrors(),
      ...(options.upstream ? { upstream: options.upstream } : {}),
      user,
    }),
  );
  if (custom) fs.writeFileSync(path.join(dir, 'custom'), JSON.stringify(options) + '\n');
  else fs.rmSync(path.join(dir, 'custom'), { force: true });
  const test = await execa('nginx', ['-t', '-q', '-c', conf, '-p', dir], { reject: false, timeout: 10_000 });
  if (test.exitCode !== 0)
    throw new Error(`the package cache's nginx configuration ${conf} is refused: ${test.stderr}`);
  const pid = spawnDetached('nginx', ['-c', conf, '-p', dir], path.join(dir, 'log', 'stderr.log'));
  fs.writeFileSync(paths.packageCachePid, `${pid}\n`);
  const ok = await waitFor(() => portOpen(gatewayAddress('local'), PACKAGE_CACHE_PORT), 10_000);
  if (!ok)
    throw new Error(
      `the package cache (nginx) did not start listening on ${packageCacheUrl()} within 10 s; see ${path.join(dir, 'log')}`,
    );
}

export async function packageCacheDown(): Promise<void> {
  const pid = readPid(paths.packageCachePid);
  if (isAlive(pid)) {
    // SIGQUIT: nginx's graceful stop (its workers finish their requests); SIGKILL after 5 s.
    process.kill(pid!, 'SIGQUIT');
    // Its own process group (spawnDetached): the workers go with the master.
    if (!(await waitFor(() => !isAlive(pid), 5000))) process.kill(-pid!, 'SIGKILL');
    await waitFor(() => !isAlive(pid), 5000);
  }
  fs.rmSync(paths.packageCachePid, { force: true });
  fs.rmSync(path.join(paths.packageCacheDir, 'custom'), { force: true });
}
