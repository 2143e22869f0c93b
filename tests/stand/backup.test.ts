// Backups on the deployed cluster, with real pgBackRest: WAL archived from the leader into the
// encrypted repository on ns, a full backup from the first deploy, backups on demand and by the
// scheduled units taken from a replica, a restore drill that brings a fresh marker back, and a
// point-in-time restore that brings back a table dropped after that time.
import { beforeAll, describe, expect, it } from 'vitest';
import { PORTS } from '../../roles-src/ports.js';
import { isHealed, waitUntil } from '../../stand/ha/cluster-view.js';
import { sql, waitHealthy } from '../helpers/operations.js';
import { compile, ROOT } from '../helpers/project.js';
import { onHost, playbook, standCli } from '../helpers/stand.js';

interface Status {
  backup?: {
    last: { type: string; label: string; ageSeconds: number }[];
    archivedWal?: string;
    leaderWal?: string;
    failing?: boolean;
  };
}

/** A query through the virtual IP's read-write port, as a client writes. */
const throughVip = (query: string) => sql('vip', query, PORTS.readWrite);

const status = async () => JSON.parse((await standCli('cluster-status', '--json')).stdout) as Status;
const repoInfo = async () =>
  JSON.parse((await onHost('ns', 'runuser -u postgres -- pgbackrest --stanza=pgha --output=json info')).stdout) as {
    backup: { label: string; type: string }[];
  }[];

describe.sequential('backups and restores (pgBackRest)', () => {
  beforeAll(async () => {
    expect((await compile(ROOT)).code).toBe(0);
    expect((await standCli('up')).code).toBe(0);
    if (!(await waitUntil(isHealed, 120_000))) {
      const r = await playbook('site');
      expect(r.code, r.output.slice(-3000)).toBe(0);
    }
    await waitHealthy();
  });

  it("holds a full backup from the first deploy and archives the leader's WAL, shown in npm run status", async () => {
    const s = await status();
    expect(s.backup?.last.map((b) => b.type)).toContain('full');
    expect(s.backup?.failing).toBe(false);
    // A switched segment reaches the repository: the archive's newest segment follows the leader's.
    const rows = await throughVip('SELECT pg_walfile_name(pg_current_wal_lsn()) AS wal, pg_switch_wal()');
    const wal = String(rows[0]!.wal);
    const archived = await waitUntil(async () => ((await status()).backup?.archivedWal ?? '') >= wal, 30_000, 1000);
    expect(archived, `segment ${wal} not archived within 30 s`).toBeDefined();
    // Encrypted at rest: the repository's files are not readable as PostgreSQL pages or JSON.
    const head = await onHost(
      'ns',
      "find /var/lib/pgbackrest/backup -name 'backup.manifest' | head -1 | xargs head -c 8 | od -c | head -1",
    );
    expect(head.stdout).not.toMatch(/\[backup/);
  });

  it('takes a differential backup on demand and an incremental one through the scheduled unit, both from a replica', async () => {
    const r = await playbook('backup', '-e', 'backup_type=diff');
    expect(r.code, r.output.slice(-3000)).toBe(0);
    const unit = await onHost(
      'ns',
      'systemctl start pgha-backup@incr.service && systemctl show -p Result --value pgha-backup@incr.service',
    );
    expect(unit.stdout.trim(), unit.stderr).toBe('success');
    const types = (await repoInfo())[0]!.backup.map((b) => b.type);
    expect(types).toEqual(expect.arrayContaining(['full', 'diff', 'incr']));
    // pgBackRest logs that it copied the files from the standby.
    const log = await onHost(
      'ns',
      "grep -c 'backup-standby\\|from standby\\|wait for replay on the standby' /var/log/pgbackrest/pgha-backup.log",
    );
    expect(Number(log.stdout.trim())).toBeGreaterThan(0);
    const timers = await onHost('ns', 'systemctl is-enabled pgha-backup-full.timer pgha-backup-diff.timer');
    expect(timers.stdout.trim().split('\n')).toEqual(['enabled', 'enabled']);
  });

  it('restore drill: the latest backup and the archived WAL bring back a marker written just before', async () => {
    const r = await playbook('restore-drill');
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(r.output).toContain('restore drill passed: recovered to the end of the archive');
  });

  it('point in time: a table dropped after the target time is back in the restored instance', async () => {
    await throughVip(
      'CREATE TABLE IF NOT EXISTS pgha_pitr_probe (id int PRIMARY KEY); INSERT INTO pgha_pitr_probe VALUES (1), (2), (3) ON CONFLICT DO NOTHING',
    );
    await new Promise((r) => setTimeout(r, 1500));
    const { t } = (
      (await throughVip("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS t")) as {
        t: string;
      }[]
    )[0]!;
    await new Promise((r) => setTimeout(r, 1500));
    await throughVip('DROP TABLE pgha_pitr_probe');
    const r = await playbook(
      'restore-drill',
      '-e',
      `drill_target_time='${t}'`,
      '-e',
      'drill_check_table=pgha_pitr_probe',
    );
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect(r.output).toContain(`recovered to ${t}`);
    expect(r.output).toMatch(/pgha_pitr_probe rows: 3\b/);
  });
});
