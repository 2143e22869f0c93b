// PostgreSQL parameters: the checks against pg_settings of PostgreSQL 15 (pure functions; what
// the build refuses is in tests/compiler/pg-parameter-refusals.test.ts).
import { describe, expect, it } from 'vitest';
import { checkParameter } from '../../dsl/postgres/check.js';

describe('checkParameter (pg_settings of PostgreSQL 15)', () => {
  it('accepts values as PostgreSQL does and says what the server will show', () => {
    expect(checkParameter('shared_buffers', '256MB')).toMatchObject({
      ok: true,
      checked: { setting: '32768', applyBy: 'restart' },
    });
    expect(checkParameter('work_mem', '4MB')).toMatchObject({
      ok: true,
      checked: { setting: '4096', applyBy: 'reload' },
    });
    expect(checkParameter('checkpoint_timeout', '5min')).toMatchObject({ ok: true, checked: { setting: '300' } });
    expect(checkParameter('max_connections', 200)).toMatchObject({
      ok: true,
      checked: { setting: '200', applyBy: 'restart' },
    });
    expect(checkParameter('wal_log_hints', 'on')).toMatchObject({ ok: true, checked: { setting: 'on' } });
    expect(checkParameter('hot_standby_feedback', true)).toMatchObject({
      ok: true,
      checked: { value: 'on', setting: 'on' },
    });
    expect(checkParameter('wal_level', 'replica')).toMatchObject({ ok: true, checked: { setting: 'replica' } });
    expect(checkParameter('random_page_cost', 1.1)).toMatchObject({
      ok: true,
      checked: { setting: '1.1', type: 'real' },
    });
  });

  it('refuses what PostgreSQL or Patroni would refuse', () => {
    const message = (n: string, v: unknown) => {
      const r = checkParameter(n, v);
      return r.ok ? 'accepted' : r.message;
    };
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
