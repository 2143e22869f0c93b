// Backups on the deployed cluster, with real pgBackRest: WAL archived from the leader into the
// encrypted repository on its own host (bk), a full backup from the first deploy, backups on demand and by the
// scheduled units taken from a replica, a restore drill that brings a fresh marker back, and a
// point-in-time restore that brings back a table dropped after that time.
import { RESTORE_CLUSTER } from '../../playbooks/restore.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PORTS } from '../../roles-src/ports.js';
import { waitUntil } from '../../stand/ha/cluster-view.js';
import { ensureDeployedCluster, sql, startTimes, waitHealthy } from '../helpers/operations.js';
import { onHost, playbook, standCli } from '../helpers/stand.js';
import { hostsInGroup } from '../../inventories/stand.js';
import { PKI_DIR } from '../../stand/tls-client.js';
import fs from 'node:fs';
import path from 'node:path';

interface Status {
  entry: { name: string; preRestore: { stamp: string; bytes: number }[] }[];
  backup?: {
    last: { type: string; label: string; ageSeconds: number }[];
    archivedWal?: string;
    leaderWal?: string;
    failing?: boolean;
    drill?: { ok: boolean; step: string; message: string };
    copies: { count: number; newest?: string };
  };
}

/** The repository's host (the stand's backup group). */
const BACKUP_HOST = hostsInGroup('backup')[0]!.name;

/** A query through the virtual IP's read-write port, as a client writes. */
const throughVip = (query: string) => sql('vip', query, PORTS.readWrite);

const status = async () => JSON.parse((await standCli('cluster-status', '--json')).stdout) as Status;
const repoInfo = async () =>
  JSON.parse(
    (await onHost(BACKUP_HOST, 'runuser -u postgres -- pgbackrest --stanza=pgha --output=json info')).stdout,
  ) as {
    backup: { label: string; type: string }[];
  }[];

describe.sequential('backups and restores (pgBackRest)', () => {
  beforeAll(async () => {
    await ensureDeployedCluster();
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
      BACKUP_HOST,
      "find /var/lib/pgbackrest/backup -name 'backup.manifest' | head -1 | xargs head -c 8 | od -c | head -1",
    );
    expect(head.stdout).not.toMatch(/\[backup/);
  });

  it("opens the database hosts' pgBackRest (superuser's reach) to the repository host's certificate alone: ns's is refused", async () => {
    // The attack: root on ns (name server, operations) holds ns's key; pgBackRest's client on the
    // repository host presents it to every database host instead of bk's own.
    const attack = '/var/tmp/pgha-ns-certificate';
    const file = (name: string) => fs.readFileSync(path.join(PKI_DIR, 'hosts', name)).toString('base64');
    const setup = await onHost(
      BACKUP_HOST,
      `rm -rf ${attack} && install -d -o postgres -m 0700 ${attack} && ` +
        `echo ${file('ns.crt')} | base64 -d >${attack}/host.crt && echo ${file('ns.key')} | base64 -d >${attack}/host.key && ` +
        `sed -e 's#^\\(pg[0-9]*-host-cert-file=\\).*#\\1${attack}/host.crt#' -e 's#^\\(pg[0-9]*-host-key-file=\\).*#\\1${attack}/host.key#' /etc/pgbackrest.conf >${attack}/pgbackrest.conf && ` +
        `chown postgres ${attack}/* && chmod 0600 ${attack}/*`,
    );
    expect(setup.code, setup.stderr).toBe(0);
    try {
      const asNs = await onHost(
        BACKUP_HOST,
        `runuser -u postgres -- pgbackrest --config=${attack}/pgbackrest.conf --stanza=pgha check 2>&1`,
      );
      expect(asNs.code, asNs.stdout).not.toBe(0);
      expect(asNs.stdout).toMatch(/not authorized|access denied|unauthori[sz]ed/i);
      // The same command with bk's own certificate passes.
      const asBk = await onHost(BACKUP_HOST, 'runuser -u postgres -- pgbackrest --stanza=pgha check 2>&1');
      expect(asBk.code, asBk.stdout).toBe(0);
    } finally {
      await onHost(BACKUP_HOST, `rm -rf ${attack}`);
    }
  });

  it("site.yml stops at the repository's end-to-end check when pgBackRest cannot reach the database, with its error, and passes once it can", async () => {
    // The repository host's configuration pointed at a port where no PostgreSQL listens: the
    // stanza is there (no stanza-create), so `pgbackrest check` is what must catch it.
    const broken = await playbook('site', '--tags', 'backup', '--limit', BACKUP_HOST, '-e', 'backup_pg_port=1');
    try {
      expect(broken.code, broken.output).not.toBe(0);
      expect(broken.output).toContain("Stop when pgBackRest's check failed");
      expect(broken.output).toMatch(/pgBackRest's check failed: .*ERROR: \[\d+\]: no database found/);
      expect(broken.output).toMatch(
        new RegExp(`TASK \\[backup : Create the stanza[^\\n]*\\n(?:[^\\n]*\\n)?skipping: \\[${BACKUP_HOST}\\]`),
      );
    } finally {
      const repaired = await playbook('site', '--tags', 'backup', '--limit', BACKUP_HOST);
      expect(repaired.code, repaired.output).toBe(0);
    }
  });

  it('takes a differential backup on demand and an incremental one through the scheduled unit, both from a replica', async () => {
    const r = await playbook('backup', '-e', 'backup_type=diff');
    expect(r.code, r.output.slice(-3000)).toBe(0);
    const unit = await onHost(
      BACKUP_HOST,
      'systemctl start pgha-backup@incr.service && systemctl show -p Result --value pgha-backup@incr.service',
    );
    expect(unit.stdout.trim(), unit.stderr).toBe('success');
    const types = (await repoInfo())[0]!.backup.map((b) => b.type);
    expect(types).toEqual(expect.arrayContaining(['full', 'diff', 'incr']));
    // pgBackRest logs that it copied the files from the standby.
    const log = await onHost(
      BACKUP_HOST,
      "grep -c 'backup-standby\\|from standby\\|wait for replay on the standby' /var/log/pgbackrest/pgha-backup.log",
    );
    expect(Number(log.stdout.trim())).toBeGreaterThan(0);
    const timers = await onHost(BACKUP_HOST, 'systemctl is-enabled pgha-backup-full.timer pgha-backup-diff.timer');
    expect(timers.stdout.trim().split('\n')).toEqual(['enabled', 'enabled']);
  });

  it('restore drill: the latest backup and the archived WAL bring back a marker written just before', async () => {
    const r = await playbook('restore-drill');
    expect(r.code, r.output.slice(-3000)).toBe(0);
    // From a copy of the repository made for it, one no database host can delete.
    expect(r.output).toMatch(/restore drill passed: from the copy \d{8}T\d{6}Z, recovered to the end of the archive/);
  });

  it('keeps copies of the repository that no database host can delete, shown in npm run status', async () => {
    const made = await onHost(BACKUP_HOST, '/usr/local/sbin/pgha-repo-copy');
    expect(made.code, made.stderr).toBe(0);
    const copy = /pgha-repo-copy: (\S+)/.exec(made.stdout)?.[1];
    expect(copy, made.stdout).toMatch(/^\/var\/lib\/pgbackrest-copies\/\d{8}T\d{6}Z$/);
    const count = async () => (await onHost(BACKUP_HOST, `find ${copy} -type f | wc -l`)).stdout.trim();
    const files = await count();
    expect(Number(files)).toBeGreaterThan(10);
    // A database host reaches the repository through pgBackRest (its certificate is authorised for
    // the stanza), so it could remove what it holds...
    const ls = await onHost('pg01', 'runuser -u postgres -- pgbackrest --stanza=pgha repo-ls archive 2>&1');
    expect(ls.code, ls.stdout).toBe(0);
    expect(ls.stdout).toContain('pgha');
    // ...but not the copies, outside the repository's path: pgBackRest refuses to reach them.
    for (const command of [`repo-ls ${copy}`, `repo-get ${copy}/backup/pgha/backup.info`]) {
      const r = await onHost('pg01', `runuser -u postgres -- pgbackrest --stanza=pgha ${command} 2>&1`);
      expect(r.code, `${command}: ${r.stdout}`).not.toBe(0);
    }
    // Nor can pgBackRest's own server on the repository host (postgres) remove a file there.
    const rm = await onHost(BACKUP_HOST, `runuser -u postgres -- rm -rf ${copy}/archive 2>&1`);
    expect(rm.code).not.toBe(0);
    expect(rm.stdout).toMatch(/Permission denied/);
    expect(await count()).toBe(files);
    const shown = (await status()).backup?.copies;
    expect(shown?.newest).toBe(copy!.split('/').at(-1));
    expect(shown?.count).toBeGreaterThanOrEqual(2);
  });

  it('restore drill: a damaged file in the repository fails it at verify, naming the file, and npm run status shows it', async () => {
    const file = (
      await onHost(
        BACKUP_HOST,
        'find /var/lib/pgbackrest/backup/pgha/*F/pg_data/base -type f -size +4k | sort | tail -n 1',
      )
    ).stdout.trim();
    expect(file).toMatch(/^\/var\/lib\/pgbackrest\/backup\/pgha\//);
    const inRepository = file.replace('/var/lib/pgbackrest/backup/pgha/', '');
    await onHost(
      BACKUP_HOST,
      `cp -p ${file} /root/drill-saved && printf '\\000\\001\\002\\003\\004\\005\\006\\007' | dd of=${file} bs=1 seek=100 conv=notrunc status=none`,
    );
    try {
      const r = await playbook('restore-drill');
      expect(r.code).not.toBe(0);
      expect(r.output).toContain('restore drill FAILED at verify');
      expect(r.output).toContain(`invalid checksum '${inRepository}'`);
      const s = await status();
      expect(s.backup?.drill).toMatchObject({ ok: false, step: 'verify' });
      expect(s.backup?.drill?.message).toContain(inRepository);
    } finally {
      await onHost(BACKUP_HOST, `cp -p /root/drill-saved ${file} && rm /root/drill-saved`);
    }
    // The weekly timer's unit runs the same drill; on the repaired repository it passes.
    const unit = await onHost(
      BACKUP_HOST,
      'systemctl start pgha-restore-drill.service; systemctl show -p Result --value pgha-restore-drill.service',
    );
    expect(unit.stdout.trim(), unit.stderr).toBe('success');
    expect((await status()).backup?.drill).toMatchObject({ ok: true, step: 'done' });
    const timer = await onHost(BACKUP_HOST, 'systemctl is-enabled pgha-restore-drill.timer');
    expect(timer.stdout.trim()).toBe('enabled');
  });

  it("restore drill: runs as postgres, so links postgres plants in its folder write nothing of root's", async () => {
    // A root-only file postgres can name but not write; with the drill as root each link below
    // made it postgres's or truncated it.
    const target = '/etc/pgha-drill-target';
    await onHost(BACKUP_HOST, `printf 'root only\\n' >${target} && chmod 0644 ${target}`);
    try {
      await onHost(
        BACKUP_HOST,
        `cd /var/lib/pgbackrest-drill && for f in postgresql.log last-result.json.tmp; do runuser -u postgres -- ln -sfn ${target} $f; done` +
          // A dangling link: writing through it would create its target, a root file of postgres's choosing.
          ` && runuser -u postgres -- ln -sfn ${target}-absent .lock`,
      );
      const r = await playbook('restore-drill');
      expect(r.code, r.output.slice(-2000)).toBe(0);
      const after = await onHost(BACKUP_HOST, `stat -c '%U:%G %a' ${target}; cat ${target}`);
      expect(after.stdout.trim()).toBe('root:root 644\nroot only');
      expect((await onHost(BACKUP_HOST, `test -e ${target}-absent`)).code, `${target}-absent created`).not.toBe(0);
      const user = await onHost(BACKUP_HOST, 'systemctl show -p User --value pgha-restore-drill.service');
      expect(user.stdout.trim()).toBe('postgres');
      expect((await status()).backup?.drill).toMatchObject({ ok: true, step: 'done' });
    } finally {
      await onHost(
        BACKUP_HOST,
        `rm -f ${target}; cd /var/lib/pgbackrest-drill && for f in .lock postgresql.log last-result.json.tmp; do [ ! -L $f ] || rm -f $f; done`,
      );
    }
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

  it('restore.yml refuses, before touching a host, a target in the future, one before the oldest backup and a malformed one', async () => {
    const before = await startTimes();
    const cases: [string[], RegExp][] = [
      [
        ['-e', 'restore_type=time', '-e', "restore_target='2999-01-01 00:00:00+00'"],
        /outside what the repository covers: from \S+ \S+ \(the end of the oldest backup\) to now/,
      ],
      [
        ['-e', 'restore_type=time', '-e', "restore_target='2001-01-01 00:00:00+00'"],
        /outside what the repository covers/,
      ],
      [['-e', 'restore_type=time', '-e', "restore_target='2026-11-28 20:00:00'"], /with its time zone/],
      [
        ['-e', 'restore_type=backup', '-e', 'restore_target=20010101-000000F'],
        /no backup 20010101-000000F; the repository holds \d{8}-\d{6}F/,
      ],
      [
        ['-e', 'restore_type=lsn', '-e', 'restore_target=FFFFFFFF/0'],
        /LSN FFFFFFFF\/0 is outside what the repository covers/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await playbook('restore', '-e', `restore_confirm=${RESTORE_CLUSTER}`, ...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.output).toMatch(message);
      expect(r.output).not.toMatch(/Stop Patroni/);
    }
    expect(await startTimes()).toEqual(before);
  });

  it('restore.yml restores nothing unless the cluster is named, and nothing under --limit', async () => {
    const before = await startTimes();
    const cases: [string[], RegExp][] = [
      // Its defaults (restore_type latest) pass every target check: the confirmation is what stops it.
      [
        [],
        /restore refused: it stops every member of cluster 'pgha' and replaces its data\. To go ahead, name the cluster: -e restore_confirm=pgha/,
      ],
      [['-e', 'restore_confirm=other'], /restore refused: it stops every member of cluster 'pgha'/],
      // Under --limit the repository host's checks would have no host while pg01's plays ran.
      [
        ['-e', `restore_confirm=${RESTORE_CLUSTER}`, '--limit', 'pg01'],
        /restore refused: it restores the whole cluster and runs on no subset of its hosts; run it without --limit \(got --limit 'pg01'\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await playbook('restore', ...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.output).toMatch(message);
      expect(r.output).not.toMatch(/Stop Patroni|Remove the cluster's state/);
    }
    // Every postmaster still the one that ran before.
    expect(await startTimes()).toEqual(before);
  });

  it('restore.yml brings the whole cluster back to a time between two commits 0.1 s apart, then every member streams', async () => {
    // Dropped first: a run stopped half-way leaves it (the test runs again on the same cluster).
    await throughVip('DROP TABLE IF EXISTS pgha_restore_probe');
    await throughVip(
      'CREATE TABLE pgha_restore_probe (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())',
    );
    for (let id = 1; id <= 30; id++) {
      await throughVip(`INSERT INTO pgha_restore_probe (id) VALUES (${id})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // 50 ms after row 15 was written: rows up to 15 committed before it, row 16 after.
    const { t } = (
      (await throughVip(
        "SELECT to_char((at + interval '50 milliseconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS t FROM pgha_restore_probe WHERE id = 15",
      )) as { t: string }[]
    )[0]!;
    await throughVip('DROP TABLE pgha_restore_probe');
    const r = await playbook(
      'restore',
      '-e',
      `restore_confirm=${RESTORE_CLUSTER}`,
      '-e',
      'restore_type=time',
      '-e',
      `restore_target='${t}'`,
    );
    expect(r.code, r.output.slice(-4000)).toBe(0);
    expect(r.output).toMatch(/restore done: time .*; leader pg01, timeline \d+, every member streaming/);
    const ids = (await throughVip('SELECT id FROM pgha_restore_probe ORDER BY id')).map((row) => Number(row.id));
    expect(ids).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    await waitHealthy(300);
    // Archiving goes on from the restored cluster, on its new timeline.
    const s = await waitUntil(async () => (await status()).backup?.failing === false, 60_000, 2000);
    expect(s, 'archiving works again after the restore').toBeDefined();
    await throughVip('DROP TABLE pgha_restore_probe');
  });

  it('npm run status lists the data each restore set aside; restore-cleanup removes what is named and nothing without a name', async () => {
    const copies = async () =>
      (await status()).entry.flatMap((e) => e.preRestore.map((c) => `${e.name} ${c.stamp}`)).sort();
    const before = await copies();
    // The restore above set every member's data aside.
    expect(new Set(before.map((c) => c.split(' ')[0]))).toEqual(new Set(['pg01', 'pg02', 'pg03']));
    const text = (await standCli('cluster-status')).stdout;
    expect(text).toMatch(/Data set aside by restores: .*pg01 \d{8}T\d{6}Z \(\d+ MiB\)/);
    const unnamed = await playbook('restore-cleanup');
    expect(unnamed.code).not.toBe(0);
    expect(unnamed.output).toMatch(/name what to remove: -e restore_cleanup=all/);
    expect(await copies()).toEqual(before);
    const stamp = before[0]!.split(' ')[1]!;
    const one = await playbook('restore-cleanup', '-e', `restore_cleanup=${stamp}`);
    expect(one.code, one.output.slice(-3000)).toBe(0);
    expect(await copies()).toEqual(before.filter((c) => !c.endsWith(` ${stamp}`)));
    const all = await playbook('restore-cleanup', '-e', 'restore_cleanup=all');
    expect(all.code, all.output.slice(-3000)).toBe(0);
    expect(await copies()).toEqual([]);
  });
});
