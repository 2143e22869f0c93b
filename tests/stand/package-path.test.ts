// The hosts' package path on any machine: the stand's package cache (nginx) in front of a strict
// upstream (400 to two Host headers, as RFC 9112 requires and as a fresh machine's path to the
// mirror answered apt-cacher-ng), a slow one, one that stalls mid-answer, and one that fails. Each
// case starts from an empty cache, with every host updating at once; each apt-get is bounded on
// the host (`timeout`), so a hang fails here with 124 instead of waiting for the test's limit.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayAddress } from '../../inventories/stand.js';
import { CACHE_DIR } from '../../stand/local/paths.js';
import {
  packageCacheDown,
  packageCacheLog,
  packageCacheUp,
  UPSTREAM_READ_TIMEOUT,
} from '../../stand/local/package-cache.js';
import { APT_UPDATE, APT_UPDATE_SCRIPT } from '../../roles-src/packages.js';
import { sshExec } from '../../stand/local/ssh.js';
import { compile, ROOT } from '../helpers/project.js';
import { addressOf, hosts, onHost, opsCli, playbook, standCli } from '../helpers/stand.js';
import { startTestUpstream, type TestUpstream, type UpstreamMode } from '../helpers/test-upstream.js';

/**
 * Each host runs site.yml's own package-path script (APT_UPDATE_SCRIPT): every attempt of
 * `apt-get update` bounded, then tried again. The bound this test states for one host: all attempts.
 */
const UPDATE_BOUND = APT_UPDATE.attemptSeconds * APT_UPDATE.attempts;
const testCache = path.join(CACHE_DIR, 'packages-test');
const figures: Record<string, number[]> = {};

/** The package cache, emptied, in front of a test upstream of `mode`. */
async function behind(mode: UpstreamMode, delayMs = 0): Promise<TestUpstream> {
  const upstream = await startTestUpstream(gatewayAddress('local'), mode, delayMs);
  await packageCacheDown();
  fs.rmSync(testCache, { recursive: true, force: true });
  await packageCacheUp({ cacheDir: testCache, upstream: upstream.address });
  return upstream;
}

/** `apt-get update` on every host at once, from empty lists; each host's exit code, output and seconds. */
async function updateAll(label: string) {
  const results = await Promise.all(
    hosts.map(async (h) => {
      const t0 = performance.now();
      await onHost(h.name, 'rm -rf /var/lib/apt/lists/* /var/lib/apt/pgha-update-stamp');
      const r = await sshExec(addressOf(h.name), APT_UPDATE_SCRIPT, 10, undefined, UPDATE_BOUND + 30);
      return { host: h.name, ...r, seconds: (performance.now() - t0) / 1000 };
    }),
  );
  (figures[label] ??= []).push(...results.map((r) => Math.round(r.seconds * 10) / 10));
  return results;
}

describe.sequential('the package path', () => {
  let upstream: TestUpstream | undefined;

  beforeAll(async () => {
    expect((await standCli('up')).code).toBe(0);
  });

  afterAll(async () => {
    await upstream?.close();
    await packageCacheDown();
    await packageCacheUp();
    fs.rmSync(testCache, { recursive: true, force: true });
    console.log(`package path figures (s per host): ${JSON.stringify(figures)}`);
  });

  it('has a strict upstream that refuses two Host headers (the test can fail where the old path failed)', async () => {
    upstream = await startTestUpstream(gatewayAddress('local'), 'strict');
    const [host, port] = upstream.address.split(':');
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host, port: Number(port) }, () =>
        s.end('GET /debian/dists/bookworm/InRelease HTTP/1.1\r\nHost: deb.debian.org\r\nHost: deb.debian.org\r\n\r\n'),
      );
      let data = '';
      s.on('data', (d: Buffer) => (data += d.toString()));
      s.on('end', () => {
        resolve(data);
      });
      s.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    await upstream.close();
    upstream = undefined;
  });

  it('updates every host at once from an empty cache behind a strict upstream, five times, none hanging', async () => {
    for (let round = 0; round < 5; round++) {
      upstream = await behind('strict');
      for (const r of await updateAll('strict')) {
        expect(r.code, `round ${round}, ${r.host}: ${r.stdout}`).toBe(0);
        expect(r.seconds).toBeLessThan(UPDATE_BOUND);
      }
      expect(upstream.requests.length).toBeGreaterThan(0);
      expect(upstream.requests.filter((q) => q.hostHeaders !== 1)).toEqual([]);
      // Concurrent misses collapse: each file is asked of the upstream once, not once per host.
      const perUrl = new Map<string, number>();
      for (const q of upstream.requests) perUrl.set(q.url, (perUrl.get(q.url) ?? 0) + 1);
      expect(Math.max(...perUrl.values()), JSON.stringify([...perUrl])).toBe(1);
      await upstream.close();
      upstream = undefined;
    }
  });

  it('installs real packages on every host at once through the strict upstream, then from the cache', async () => {
    upstream = await behind('strict');
    expect((await updateAll('strict-install')).every((r) => r.code === 0)).toBe(true);
    const install =
      'timeout 300 apt-get install -y -q --download-only --reinstall tree 2>&1 && ls /var/cache/apt/archives/';
    const first = await Promise.all(hosts.map((h) => onHost(h.name, `apt-get clean; ${install}`)));
    for (const r of first) expect(r.stdout).toMatch(/tree_.*\.deb/);
    const fetched = upstream.requests.filter((q) => q.url.endsWith('.deb'));
    expect(fetched.length).toBe(1);
    // A second fresh host reads the package from the cache: the upstream sees nothing more.
    await onHost('pg01', `apt-get clean; ${install}`);
    expect(upstream.requests.filter((q) => q.url.endsWith('.deb')).length).toBe(1);
    const log = fs.readFileSync(packageCacheLog(), 'utf8');
    expect(log).toMatch(/tree_.*\.deb HTTP\/1\.1" 200 \d+ cache=HIT/);
    await upstream.close();
    upstream = undefined;
  });

  it('updates every host at once behind a slow upstream (2 s before each answer)', async () => {
    upstream = await behind('slow', 2000);
    for (const r of await updateAll('slow')) {
      expect(r.code, `${r.host}: ${r.stdout}`).toBe(0);
      expect(r.seconds).toBeLessThan(UPDATE_BOUND);
    }
    await upstream.close();
    upstream = undefined;
  });

  it('recovers, bounded, when the upstream stalls mid-answer on the release files', async () => {
    upstream = await behind('stall-once');
    const results = await updateAll('stall-once');
    for (const r of results) {
      expect(r.code, `${r.host}: ${r.stdout}`).toBe(0);
      expect(r.seconds).toBeLessThan(UPDATE_BOUND);
    }
    // The stall reached a host (its answer cut short after nginx's 25 s), and it still passed.
    expect(upstream.stalled.length).toBeGreaterThan(0);
    expect(Math.max(...results.map((r) => r.seconds))).toBeGreaterThan(UPSTREAM_READ_TIMEOUT);
    await upstream.close();
    upstream = undefined;
  });

  it('stops site.yml at the package sources with one line per host naming the URL, the answer and what to check', async () => {
    expect((await compile(ROOT)).code).toBe(0);
    expect((await opsCli('secrets')).code).toBe(0);
    upstream = await behind('error');
    for (const h of hosts) await onHost(h.name, 'rm -rf /var/lib/apt/lists/* /var/lib/apt/pgha-update-stamp');
    const r = await playbook('site');
    expect(r.code).not.toBe(0);
    const fatal = r.output.split('\n').filter((l) => /^fatal: /.test(l));
    // One failure per host, each the package-path message; apt's own output is not repeated.
    expect(fatal.length).toBe(hosts.length);
    for (const line of fatal) {
      expect(line).toMatch(
        /apt-get update failed on \w+: http:\/\/deb\.debian\.org\/\S+InRelease 503 Service Unavailable \[IP: [\d.]+ \d+\]( \(and \d+ more\))?\. Check the stand's package cache log/,
      );
      expect(line).toContain(packageCacheLog());
    }
    expect(r.output).not.toMatch(/TASK \[Install apt's Python module\]/);
    expect(r.output).not.toMatch(/FAILED - RETRYING/);
    await upstream.close();
    upstream = undefined;
  });

  it('goes on once the package path is mended: the same site.yml passes its package-path play', async () => {
    await packageCacheDown();
    await packageCacheUp();
    const r = await playbook('site', '--tags', 'always');
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(r.output).toMatch(/TASK \[Read the installed packages\]/);
  });
});
