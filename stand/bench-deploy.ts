// Benchmark: how long site.yml takes on the local stand, fresh (new hosts, packages in the stand's
// apt cache) and unchanged (a second run, changed=0), per layout and with TLS on and off. Beside
// each figure, a floor measured in the same run: the same hosts answering a trivial play of as many
// tasks as the busiest host ran, so the figures read as ratios on a noisy machine. Also the
// per-play split of the unchanged run. It prints figures; it never fails on a slow day.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import YAML from 'yaml';
import { ansibleEnv, ansibleTool, mitogenEnv, PROJECT_ROOT } from '../lib/python-env.js';
import { activeInventory } from './local/layout.js';
import { standDown, standUp } from './local/stand.js';
import { ensureSecrets } from '../ops/secrets.js';
import type { StandLayout } from '../inventories/stand.js';

interface Run {
  seconds: number;
  /** Tasks the busiest host ran (ok + changed), and its changed count. */
  tasks: number;
  changed: number;
  /** Seconds per play, from Ansible's profile_roles-like timing of the play headers. */
  plays: [string, number][];
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-bench-deploy-'));

/** The stand's inventory for the running layout, with `pgha_tls` set as asked. */
function inventoryWith(tls: boolean): string {
  const inv = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, activeInventory()), 'utf8')) as {
    all: { vars: Record<string, unknown> };
  };
  inv.all.vars.pgha_tls = tls;
  const file = path.join(work, `inventory-${tls ? 'tls' : 'plain'}.yml`);
  fs.writeFileSync(file, YAML.stringify(inv));
  return file;
}

async function playbook(file: string, inventory: string): Promise<Run> {
  const t0 = performance.now();
  const r = await execa(ansibleTool('ansible-playbook'), ['-i', inventory, file], {
    cwd: PROJECT_ROOT,
    env: {
      ...ansibleEnv(),
      ...mitogenEnv(),
      ANSIBLE_CALLBACKS_ENABLED: 'ansible.posix.profile_tasks',
      ANSIBLE_NOCOLOR: '1',
    },
    stdin: 'ignore',
    reject: false,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.exitCode !== 0) throw new Error(`${file} failed:\n${r.stdout.split('\n').slice(-40).join('\n')}`);
  let tasks = 0;
  let changed = 0;
  for (const m of r.stdout.matchAll(/^\S+\s*: ok=(\d+)\s+changed=(\d+)/gm)) {
    tasks = Math.max(tasks, Number(m[1]));
    changed += Number(m[2]);
  }
  const plays = playSplit(r.stdout);
  return { seconds, tasks, changed, plays };
}

/** Each play's seconds, from the profile_tasks stamps of a run's output. */
function playSplit(stdout: string): [string, number][] {
  // profile_tasks stamps each task header with the time since the start, which is also when the
  // task before it ended: a play runs from the stamp of its first task header to the stamp of the
  // next play's first task header (the last play, to the tasks recap's).
  const plays: [string, number][] = [];
  let current: string | undefined;
  let next: string | undefined;
  let start = 0;
  let at = 0;
  for (const line of stdout.split('\n')) {
    const play = /^PLAY \[(.*)\] \*+$/.exec(line);
    if (play) next = play[1];
    const stamp = /\)\s+(\d+):(\d+):(\d+)\.(\d+) \*+\s*$/.exec(line);
    if (!stamp) continue;
    at = Number(stamp[1]) * 3600 + Number(stamp[2]) * 60 + Number(stamp[3]) + Number(`0.${stamp[4]}`);
    if (next === undefined) continue;
    if (current) plays.push([current, at - start]);
    [current, next, start] = [next, undefined, at];
  }
  // The last stamp, the tasks recap's, ends the last play (Ansible's start-up belongs to no play).
  if (current) plays.push([current, at - start]);
  return plays;
}

/** A play of `n` trivial tasks on every stand host, as site.yml reaches them (become, SSH). */
async function floor(n: number, inventory: string): Promise<number> {
  const file = path.join(work, `floor-${n}.yml`);
  const tasks = Array.from({ length: n }, (_, i) => ({ name: `Trivial ${i + 1}`, 'ansible.builtin.ping': {} }));
  fs.writeFileSync(file, YAML.stringify([{ name: 'Floor', hosts: 'all', become: true, gather_facts: false, tasks }]));
  return (await playbook(file, inventory)).seconds;
}

const fmt = (s: number) => `${s.toFixed(0)} s`;

export async function benchDeploy(opts: { layouts: StandLayout[]; tls: boolean[]; fresh: boolean }): Promise<void> {
  ensureSecrets();
  const site = path.join(PROJECT_ROOT, 'out', 'site.yml');
  const rows: string[] = [];
  // The first layout's unchanged run per play, with TLS off and on: where TLS's cost lies.
  const split = new Map<boolean, [string, number][]>();
  const unchangedSeconds = new Map<boolean, number>();
  for (const layout of opts.layouts) {
    for (const tls of opts.tls) {
      if (opts.fresh) await standDown();
      await standUp(layout);
      const inventory = inventoryWith(tls);
      const fresh = opts.fresh ? await playbook(site, inventory) : undefined;
      const unchanged = await playbook(site, inventory);
      const base = await floor(unchanged.tasks, inventory);
      const label = `${layout}, TLS ${tls ? 'on' : 'off'}`;
      if (fresh)
        rows.push(
          `| ${label} | fresh | ${fmt(fresh.seconds)} | ${fresh.tasks} | ${fmt(base)} | ${(fresh.seconds / base).toFixed(2)} |`,
        );
      rows.push(
        `| ${label} | unchanged (changed=${unchanged.changed}) | ${fmt(unchanged.seconds)} | ${unchanged.tasks} | ${fmt(base)} | ${(unchanged.seconds / base).toFixed(2)} |`,
      );
      if (layout === opts.layouts[0]) {
        split.set(tls, unchanged.plays);
        unchangedSeconds.set(tls, unchanged.seconds);
      }
    }
  }
  const modes = opts.tls.filter((t) => split.has(t));
  const plays = [...new Set(modes.flatMap((t) => split.get(t)!.map(([p]) => p)))];
  const playTime = (t: boolean, p: string) => {
    const s = split.get(t)!.find(([name]) => name === p)?.[1];
    return s === undefined ? '-' : `${s.toFixed(1)} s`;
  };
  const on = unchangedSeconds.get(true);
  const off = unchangedSeconds.get(false);
  console.log(
    [
      '| stand | site.yml run | time | tasks on the busiest host | floor (as many trivial tasks) | ratio |',
      '|---|---|---|---|---|---|',
      ...rows,
      ...(on !== undefined && off !== undefined
        ? ['', `unchanged run, TLS on / TLS off (${opts.layouts[0]}): ${(on / off).toFixed(2)} (goal <= 1.3)`]
        : []),
      '',
      `| play (unchanged run, ${opts.layouts[0]}) | ${modes.map((t) => `TLS ${t ? 'on' : 'off'}`).join(' | ')} |`,
      `|---|${modes.map(() => '---|').join('')}`,
      ...plays.map((p) => `| ${p} | ${modes.map((t) => playTime(t, p)).join(' | ')} |`),
    ].join('\n'),
  );
  fs.rmSync(work, { recursive: true, force: true });
}
