// Runs one fault scenario on the deployed stand with a client writing through the virtual IP's
// read-write port, a sampler watching every member and one watching who holds the virtual IP, and
// measures what an operator cares about: how long writes stopped, whether an acknowledged write
// was lost, whether two members accepted writes (or two hosts answered for the address) at once,
// and how long the cluster took to heal by itself.
import { PORTS } from '../../roles-src/ports.js';
import { vipAddress } from '../../inventories/stand.js';
import { WriteProbe, type ProbeEvent, type ProbeReport } from '../write-probe.js';
import { dbHosts, isHealed, roles, vipHolder, waitUntil } from './cluster-view.js';
import { MemberSampler, splitBrainIntervals, type MemberSample } from './member-sampler.js';
import { doubleHolderIntervals, VipSampler, type VipSample } from './vip-sampler.js';
import type { Roles, Scenario } from './scenarios.js';
import { sshExec } from '../local/ssh.js';

/** How long a fault's end may take to heal before the scenario counts as not healed. */
export const HEAL_BOUND_SECONDS = 60;

export interface ScenarioResult {
  name: string;
  title: string;
  before: Roles;
  leaderAfter?: string;
  /** Longest gap between acknowledged writes, s. */
  unavailableSeconds: number;
  acknowledged: number;
  failedAttempts: number;
  lost: number;
  /** From the fault's end to a healed cluster, s (undefined: not healed within the bound). */
  healSeconds?: number;
  /** Moments when two or more members were writable at once. */
  splitBrain: { fromSeconds: number; toSeconds: number; members: string[] }[];
  /** Moments when two or more connected, running hosts held the virtual IP. */
  vipDoubleHolders: { fromSeconds: number; toSeconds: number; hosts: string[] }[];
  /** Who held the virtual IP after the heal. */
  vipHolderAfter?: string;
  /** Timeline material, in seconds from the probe's start. */
  faultStart: number;
  faultEnd: number;
  healedAt?: number;
  writes: { t: number; ok: boolean }[];
  samples: { t: number; member: string; writable?: boolean; role?: string }[];
  vipSamples: { t: number; host: string; answers: boolean }[];
  /** keepalived's own state changes on every host during the run, read when a double holder was seen. */
  vipTransitions: string[];
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

export async function waitHealed(timeoutSeconds: number): Promise<void> {
  if (!(await waitUntil(isHealed, timeoutSeconds * 1000))) {
    throw new Error(
      `the cluster is not healed (one leader, every replica streaming on its timeline, etcd healthy) after ${timeoutSeconds} s`,
    );
  }
}

/** Polls every 0.5 s; a heal counts once it has held for this long (Patroni's state in etcd lags by up to loop_wait). */
const STABLE_MS = 6000;

/**
 * The moment from which the cluster stayed healed (and writes flowed) for STABLE_MS, or
 * undefined when that did not happen within timeoutMs.
 */
async function healedSince(writesFlow: () => boolean, timeoutMs: number): Promise<number | undefined> {
  const t0 = performance.now();
  let since: number | undefined;
  while (performance.now() - t0 < timeoutMs + STABLE_MS) {
    const now = performance.now();
    if ((await isHealed()) && writesFlow()) {
      since ??= now;
      if (now - since >= STABLE_MS) return since;
    } else {
      since = undefined;
      if (now - t0 > timeoutMs) return undefined;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}

export async function runScenario(s: Scenario, log: (line: string) => void = () => undefined): Promise<ScenarioResult> {
  await waitHealed(120);
  const found = await roles();
  const before = s.arrange ? await s.arrange(found) : found;
  const probe = new WriteProbe({ host: vipAddress('local'), port: PORTS.readWrite });
  const sampler = new MemberSampler(dbHosts());
  const vipSampler = new VipSampler(
    dbHosts().map((h) => h.name),
    vipAddress('local'),
  );
  await probe.start();
  const t0 = performance.now();
  const startedAt = new Date();
  sampler.start();
  vipSampler.start();
  const rel = (t: number) => Math.round((t - t0) / 100) / 10;
  await sleep(3);
  log(
    `${s.name}: ${s.title} (leader ${before.leader}${before.sync ? `, sync standby ${before.sync}` : ''}, virtual IP on ${before.vipHolder ?? 'no host'})`,
  );
  const faultStart = performance.now();
  let faultEnd: number;
  let healedAt: number | undefined;
  let report: ProbeReport;
  let samples: MemberSample[];
  let vipSamples: VipSample[];
  try {
    await s.inject(before);
    const holdEnds = performance.now() + s.holdSeconds * 1000;
    await s.during?.(before);
    const left = (holdEnds - performance.now()) / 1000;
    if (left > 0) await sleep(left);
    faultEnd = performance.now();
    await s.end?.(before);
    healedAt = await healedSince(
      () => probe.acknowledgingSince(1000),
      HEAL_BOUND_SECONDS * 1000 + (performance.now() - faultEnd),
    );
  } finally {
    await sleep(3);
    report = await probe.stop();
    samples = await sampler.stop();
    vipSamples = await vipSampler.stop();
  }
  const after = await roles().catch(() => undefined);
  const vipAfter = await vipHolder().catch(() => undefined);
  const doubles = doubleHolderIntervals(vipSamples);
  const vipTransitions = doubles.length ? await keepalivedTransitions(startedAt) : [];
  const heal = healedAt === undefined ? undefined : Math.max(0, Math.round((healedAt - faultEnd) / 100) / 10);
  const result: ScenarioResult = {
    name: s.name,
    title: s.title,
    before,
    leaderAfter: after?.leader,
    unavailableSeconds: report.longestGapSeconds,
    acknowledged: report.acknowledged,
    failedAttempts: report.failed,
    lost: report.lost,
    healSeconds: heal === undefined || heal > HEAL_BOUND_SECONDS ? undefined : heal,
    splitBrain: splitBrainIntervals(samples).map((i) => ({
      fromSeconds: rel(i.from),
      toSeconds: rel(i.to),
      members: i.members,
    })),
    vipDoubleHolders: doubles.map((i) => ({
      fromSeconds: rel(i.from),
      toSeconds: rel(i.to),
      hosts: i.hosts,
    })),
    vipHolderAfter: vipAfter,
    faultStart: rel(faultStart),
    faultEnd: rel(faultEnd),
    healedAt: healedAt === undefined ? undefined : rel(healedAt),
    writes: probe.events.map((e: ProbeEvent) => ({ t: rel(e.at), ok: e.ok })),
    samples: samples.map((x) => ({ t: rel(x.at), member: x.member, writable: x.writable, role: x.role })),
    vipSamples: vipSamples.map((x) => ({ t: rel(x.at), host: x.host, answers: x.answers })),
    vipTransitions,
  };
  log(
    `${s.name}: writes unavailable ${result.unavailableSeconds} s, lost ${result.lost} of ${result.acknowledged}, ` +
      `healed ${result.healSeconds === undefined ? `not within ${HEAL_BOUND_SECONDS} s` : `after ${result.healSeconds} s`}, ` +
      `two writable members ${result.splitBrain.length} time(s), two virtual IP holders ${result.vipDoubleHolders.length} time(s), ` +
      `leader ${before.leader} -> ${result.leaderAfter ?? '?'}, virtual IP ${before.vipHolder ?? '-'} -> ${result.vipHolderAfter ?? '-'}`,
  );
  return result;
}

/** keepalived's state changes since `since` on every database host, in time order (containers share the clock). */
async function keepalivedTransitions(since: Date): Promise<string[]> {
  const stamp = since.toISOString().replace('T', ' ').slice(0, 19);
  const lines = await Promise.all(
    dbHosts().map(async (h) => {
      const r = await sshExec(
        h.address,
        `journalctl -u keepalived -o short-iso-precise --no-pager --utc --since '${stamp} UTC' | grep -E 'Entering|removing|setting' || true`,
        5,
        undefined,
        20,
      );
      return r.stdout.split('\n').filter(Boolean);
    }),
  );
  return lines.flat().sort();
}
