// PostgreSQL parameters: the checks against pg_settings, and what `npm run build` refuses in the
// parameter source, each with file:line:col and the parameter, out/ untouched.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkParameter } from '../../dsl/postgres/check.js';
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

describe('checkParameter (pg_settings of PostgreSQL 15)', () => {
  it('accepts values as PostgreSQL does and says what the server will show', () => {
    expect(checkParameter('shared_buffers', '256MB')).toMatchObject({ ok: true, checked: { setting: '32768', applyBy: 'restart' } });
    expect(checkParameter('work_mem', '4MB')).toMatchObject({ ok: true, checked: { setting: '4096', applyBy: 'reload' } });
    expect(checkParameter('checkpoint_timeout', '5min')).toMatchObject({ ok: true, checked: { setting: '300' } });
    expect(checkParameter('max_connections', 200)).toMatchObject({ ok: true, checked: { setting: '200', applyBy: 'restart' } });
    expect(checkParameter('wal_log_hints', 'on')).toMatchObject({ ok: true, checked: { setting: 'on' } });
    expect(checkParameter('hot_standby_feedback', true)).toMatchObject({ ok: true, checked: { value: 'on', setting: 'on' } });
    expect(checkParameter('wal_level', 'replica')).toMatchObject({ ok: true, checked: { setting: 'replica' } });
    expect(checkParameter('random_page_cost', 1.1)).toMatchObject({ ok: true, checked: { setting: '1.1', type: 'real' } });
  });

  it('refuses what PostgreSQL or Patroni would refuse', () => {
    const message = (n: string, v: unknown) => { const r = checkParameter(n, v); return r.ok ? 'accepted' : r.message; };
    expect(message('work_mme', '4MB')).toMatch(/unknown PostgreSQL parameter; did you mean 'work_mem'\?/);
    expect(message('max_connections', 'many')).toMatch(/expected an integer/);
    expect(message('shared_buffers', '64kB')).toMatch(/outside the allowed range 16 \(8kB\)/);
    expect(message('work_mem', '5s')).toMatch(/is a size \(unit kB\), but '5s' is a time/);
    expect(message('checkpoint_timeout', '1GB')).toMatch(/is a time \(unit s\), but '1GB' is a size/);
    expect(message('work_mem', '4mb')).toMatch(/unknown unit 'mb'/);
    expect(message('max_connections', '100MB')).toMatch(/takes no unit/);
    expect(message('wal_level', 'archive')).toMatch(/expected one of minimal, replica, logical/);
    expect(message('block_size', 8192)).toMatch(/cannot be set in a configuration file \(context internal/);
    expect(message('port', 5433)).toMatch(/owned by Patroni/);
    expect(message('hot_standby', 'on')).toMatch(/owned by Patroni/);
  });
});

describe('the build refuses a bad parameter source', () => {
  it('refuses an unknown parameter in the editor and the build, suggesting the right one (TypeScript)', async () => {
    const r = await buildWith("work_mme: '8MB',");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/roles-src\/patroni\/postgresql-parameters\.ts:\d+:\d+ field 'work_mme'.*Did you mean to write 'work_mem'/);
    expect(r.outUnchanged).toBe(true);
  });

  it('refuses a unit that does not fit the parameter (TypeScript)', async () => {
    const r = await buildWith("effective_cache_size: '5s',");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/postgresql-parameters\.ts:\d+:\d+ field 'effective_cache_size'/);
    expect(r.outUnchanged).toBe(true);
  });

  const bypass: [string, RegExp][] = [
    ["...({ work_mme: '8MB' } as {}),", /postgresql-parameters\.ts:\d+:\d+: parameter 'work_mme': unknown PostgreSQL parameter; did you mean 'work_mem'\?/],
    ["...({ effective_cache_size: '5s' } as {}),", /parameter 'effective_cache_size': is a size \(unit 8kB\), but '5s' is a time/],
    ["...({ shared_buffers: '64kB' } as {}),", /parameter 'shared_buffers': '64kB' is 8 \(8kB\), outside the allowed range/],
    ["...({ wal_level: 'archive' } as {}),", /parameter 'wal_level': expected one of minimal, replica, logical, got 'archive'/],
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
