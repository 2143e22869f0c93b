// Runs one fault scenario on the deployed stand with a client writing through HAProxy's
// read-write port and a sampler watching every member, and measures what an operator cares
// about: how long writes stopped, whether an acknowledged write was lost, whether two members
// accepted writes at once, and how long the cluster took to heal by itself.
import { PORTS } from '../../roles-src/ports.js';
import { hostAddress, stand } from '../../inventories/stand.js';
import { ensureSecrets } from '../secrets.js';
import { WriteProbe, type ProbeEvent, type ProbeReport } from '../write-probe.js';
import { dbHosts, isHealed, roles, waitUntil } from './cluster-view.js';
import { MemberSampler, splitBrainIntervals, type MemberSample } from './member-sampler.js';
import type { Roles, Scenario } from './scenarios.js';

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
  /** Timeline material, in seconds from the probe's start. */
  faultStart: number;
  faultEnd: number;
  healedAt?: number;
  writes: { t: number; ok: boolean }[];
  samples: { t: number; member: string; writable?: boolean; role?: string }[];
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
  const before = await roles();
  const password = ensureSecrets().pgha_superuser_password;
  const ns = stand.hosts.find((h) => h.name === 'ns')!;
  const probe = new WriteProbe({ host: hostAddress(ns, 'local'), port: PORTS.readWrite, password });
  const sampler = new MemberSampler(dbHosts(), password);
  await probe.start();
  const t0 = performance.now();
  sampler.start();
  const rel = (t: number) => Math.round((t - t0) / 100) / 10;
  await sleep(3);
  log(`${s.name}: ${s.title} (leader ${before.leader}${before.sync ? `, sync standby ${before.sync}` : ''})`);
  const faultStart = performance.now();
  let faultEnd: number;
  let healedAt: number | undefined;
  let report: ProbeReport;
  let samples: MemberSample[];
  try {
    await s.inject(before);
    if (s.holdSeconds) await sleep(s.holdSeconds);
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
  }
  const after = await roles().catch(() => undefined);
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
    faultStart: rel(faultStart),
    faultEnd: rel(faultEnd),
    healedAt: healedAt === undefined ? undefined : rel(healedAt),
    writes: probe.events.map((e: ProbeEvent) => ({ t: rel(e.at), ok: e.ok })),
    samples: samples.map((x) => ({ t: rel(x.at), member: x.member, writable: x.writable, role: x.role })),
  };
  log(
    `${s.name}: writes unavailable ${result.unavailableSeconds} s, lost ${result.lost} of ${result.acknowledged}, ` +
      `healed ${result.healSeconds === undefined ? `not within ${HEAL_BOUND_SECONDS} s` : `after ${result.healSeconds} s`}, ` +
      `two writable members ${result.splitBrain.length} time(s), leader ${before.leader} -> ${result.leaderAfter ?? '?'}`,
  );
  return result;
}
