// What `npm run build` refuses in the PostgreSQL parameter source, each with file:line:col and
// the parameter, out/ untouched; and what config.yml says about restarts.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, edit, readTree, scratchProject } from '../helpers/project.js';

const SOURCE = 'roles-src/patroni/postgresql-parameters.ts';
let base: string;
let good: Map<string, Buffer>;

beforeAll(async () => {
  base = scratchProject();
  expect((await compile(base)).code).toBe(0);
  good = readTree(path.join(base, 'out'));
});

async function buildWith(extra: string) {
  const dir = scratchProject();
  fs.cpSync(path.join(base, 'out'), path.join(dir, 'out'), { recursive: true });
  // Last in the literal, so no later key overrides it.
  edit(dir, SOURCE, "password_encryption: 'scram-sha-256',", `password_encryption: 'scram-sha-256',\n  ${extra}`);
  const r = await compile(dir);
  const after = readTree(path.join(dir, 'out'));
  return { ...r, outUnchanged: after.size === good.size && [...good].every(([k, v]) => after.get(k)?.equals(v)) };
}

describe('the build refuses a bad parameter source', () => {
  it('refuses an unknown parameter in the editor and the build, suggesting the right one (TypeScript)', async () => {
    const r = await buildWith("work_mme: '8MB',");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /roles-src\/patroni\/postgresql-parameters\.ts:\d+:\d+: work_mme:.*Did you mean to write 'work_mem'/,
    );
    expect(r.outUnchanged).toBe(true);
  });

  it('refuses a unit that does not fit the parameter (TypeScript)', async () => {
    const r = await buildWith("effective_cache_size: '5s',");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/postgresql-parameters\.ts:\d+:\d+: effective_cache_size:/);
    expect(r.outUnchanged).toBe(true);
  });

  const bypass: [string, RegExp][] = [
    [
      "...({ work_mme: '8MB' } as {}),",
      /postgresql-parameters\.ts:\d+:\d+: parameter 'work_mme': unknown PostgreSQL parameter; did you mean 'work_mem'\?/,
    ],
    [
      "...({ effective_cache_size: '5s' } as {}),",
      /parameter 'effective_cache_size': is a size \(unit 8kB\), but '5s' is a time/,
    ],
    [
      "...({ shared_buffers: '64kB' } as {}),",
      /parameter 'shared_buffers': '64kB' is 8 \(8kB\), outside the allowed range/,
    ],
    [
      "...({ wal_level: 'archive' } as {}),",
      /parameter 'wal_level': expected one of minimal, replica, logical, got 'archive'/,
    ],
    ['...({ block_size: 8192 } as {}),', /parameter 'block_size': cannot be set in a configuration file/],
    ['...({ listen_addresses: "*" } as {}),', /parameter 'listen_addresses': is owned by Patroni/],
    ["...({ max_wal_senders: 'ten' } as {}),", /parameter 'max_wal_senders': expected an integer/],
  ];
  it('refuses each bad parameter when the types are bypassed (compiler check), all in one report', async () => {
    const r = await buildWith(bypass.map(([extra]) => extra).join('\n  '));
    expect(r.code).not.toBe(0);
    for (const [, message] of bypass) expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/7 problem\(s\); out\/ was not changed/);
    expect(r.outUnchanged).toBe(true);
  });

  it('says in config.yml which parameters need a restart', () => {
    const config = fs.readFileSync(path.join(base, 'out', 'config.yml'), 'utf8');
    expect(config).toMatch(/^# {3}shared_buffers = 128MB {2}\(needs a restart\)$/m);
    expect(config).toMatch(/^# {3}work_mem = 4MB {2}\(reload\)$/m);
  });
});
