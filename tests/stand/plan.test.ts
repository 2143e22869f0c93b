// npm run plan on the deployed stand: an unchanged cluster plans no change and no failure (check
// mode runs the read-only probes, so every later task reads real data); a drifted file shows as a
// change with its diff on that host alone, --expect-no-changes fails on it, and nothing is changed
// by the plan itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDeployedCluster } from '../helpers/operations.js';
import { onHost, opsCli, playbook } from '../helpers/stand.js';

const CHRONY = '/etc/chrony/chrony.conf';

describe.sequential('npm run plan', () => {
  beforeAll(async () => {
    await ensureDeployedCluster();
  });

  it('plans no change and no failure for the deployed cluster; lists what check mode cannot know', async () => {
    const r = await opsCli('plan', 'site', '--expect-no-changes');
    expect(r.code, `${r.stdout.slice(-3000)}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(
      /^plan: 0 change\(s\) on 0 host\(s\), \d+ unknown in check mode, 0 failed, 0 unreachable$/m,
    );
    for (const h of ['ns', 'bk', 'pg01', 'pg02', 'pg03']) expect(r.stdout).toMatch(new RegExp(`^${h}: no change`, 'm'));
    // pgBackRest's end-to-end check switches a WAL segment: skipped in check mode, and said so.
    expect(r.stdout).toMatch(/\? (backup : )?Check archiving and the repository end to end/);
  });

  it('shows a drifted file as a change with its diff on that host alone, fails --expect-no-changes, and changes nothing', async () => {
    const before = (await onHost('pg02', `sha256sum ${CHRONY}`)).stdout;
    expect((await onHost('pg02', `echo '# drifted by hand' >> ${CHRONY}`)).code).toBe(0);
    try {
      const r = await opsCli('plan', 'site', '--expect-no-changes', '--json');
      expect(r.code, r.stderr).toBe(1);
      const plan = JSON.parse(r.stdout) as Record<
        string,
        { changes: { task: string; diff: string }[]; handlers: { task: string }[] }
      >;
      const changed = Object.entries(plan).filter(([, p]) => p.changes.length);
      expect(changed.map(([h]) => h)).toEqual(['pg02']);
      const change = plan.pg02!.changes.find((c) => c.diff.includes('# drifted by hand'));
      expect(change, JSON.stringify(plan.pg02!.changes)).toBeDefined();
      expect(change!.diff).toMatch(/^- # drifted by hand$/m);
      // What follows the change: the restart its handler would run, listed apart.
      expect(plan.pg02!.handlers.map((h) => h.task)).toEqual(['ntp : Restart chrony']);
      // Check mode left the drift where it was.
      expect((await onHost('pg02', `tail -n 1 ${CHRONY}`)).stdout.trim()).toBe('# drifted by hand');
    } finally {
      const fix = await playbook('site', '--limit', 'pg02', '--tags', 'ntp');
      expect(fix.code, fix.output.slice(-2000)).toBe(0);
    }
    expect((await onHost('pg02', `sha256sum ${CHRONY}`)).stdout).toBe(before);
  });
});
