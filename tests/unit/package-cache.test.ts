// The stand's package path, read without a stand: which mirrors the machine's sources name, and
// the nginx configuration that fetches from them and from nothing else.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirrorsOf, parseMirror } from '../../stand/local/mirrors.js';
import { packageCacheConfig, UPSTREAM_READ_TIMEOUT } from '../../stand/local/package-cache.js';

const DEB822 = `Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: https://security.debian.org/debian-security
Suites: bookworm-security
Components: main
`;

describe('the machine mirrors', () => {
  it('reads every bookworm source, deb822 and one-line, one mirror per host', () => {
    const oneLine =
      'deb [arch=amd64] http://Mirror.Example:8080/debian bookworm main\ndeb http://deb.debian.org/debian bookworm-backports main\n';
    expect(mirrorsOf([DEB822, oneLine]).map((m) => [m.host, m.scheme, m.port])).toEqual([
      ['deb.debian.org', 'http', 80],
      ['security.debian.org', 'https', 443],
      ['mirror.example', 'http', 8080],
    ]);
  });

  it('skips sources of other releases and refuses a scheme the cache cannot fetch', () => {
    expect(mirrorsOf(['deb http://archive.example/debian trixie main\n'])).toEqual([]);
    expect(() => parseMirror('ftp://ftp.example/debian')).toThrow(/http and https mirrors only/);
  });
});

describe('the package cache configuration', () => {
  const mirrors = mirrorsOf([DEB822]);
  const conf = packageCacheConfig({ listen: '10.213.50.1:3142', stateDir: '/s', cacheDir: '/c/packages', mirrors });

  it('fetches only from the mirrors the machine names, refusing any other host', () => {
    expect(conf).toMatch(/upstream pgha_mirror_0 \{ server deb\.debian\.org:80 /);
    expect(conf).toMatch(/upstream pgha_mirror_1 \{ server security\.debian\.org:443 /);
    expect(conf).toMatch(/map \$host \$pgha_upstream \{\n {4}default "";\n {4}deb\.debian\.org pgha_mirror_0;/);
    expect(conf).toContain('if ($pgha_upstream = "") { return 403; }');
    expect(conf).toMatch(/security\.debian\.org https;/);
  });

  it('collapses concurrent misses, sends one Host header and gives up on a silent upstream before apt does', () => {
    expect(conf).toContain('proxy_cache_lock on;');
    expect(conf).toContain('proxy_set_header Host $host;');
    expect(conf).toContain(`proxy_read_timeout ${UPSTREAM_READ_TIMEOUT}s;`);
    expect(UPSTREAM_READ_TIMEOUT).toBeLessThan(30); // apt's Acquire::http::Timeout on the hosts
  });

  it('sends every mirror to a test upstream when given one, in plain HTTP', () => {
    const t = packageCacheConfig({
      listen: 'a:1',
      stateDir: '/s',
      cacheDir: '/c/p',
      mirrors,
      upstream: '10.213.50.1:4000',
    });
    expect(t.match(/server 10\.213\.50\.1:4000 /g)).toHaveLength(2);
    expect(t).not.toMatch(/ https;/);
  });

  it('is a configuration nginx itself accepts', async () => {
    const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((f) => fs.existsSync(f));
    if (!nginx) return expect.fail('nginx is not installed: npm run setup installs it (nginx-light)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-nginx-'));
    try {
      for (const d of ['log', 'tmp']) fs.mkdirSync(path.join(dir, d));
      const file = path.join(dir, 'nginx.conf');
      // A test upstream's address: nginx -t resolves the mirrors' names otherwise.
      fs.writeFileSync(
        file,
        packageCacheConfig({
          listen: '127.0.0.1:3142',
          stateDir: dir,
          cacheDir: path.join(dir, 'c'),
          mirrors,
          upstream: '127.0.0.1:9',
        }),
      );
      const r = await execa(nginx, ['-t', '-q', '-c', file, '-p', dir], { reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
