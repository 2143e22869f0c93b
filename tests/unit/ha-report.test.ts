// The HA benchmark's arithmetic and pictures: split-brain intervals from member samples, the
// Markdown table and the SVG timeline.
import { describe, expect, it } from 'vitest';
import { splitBrainIntervals, type MemberSample } from '../../stand/ha/member-sampler.js';
import { markdownTable, timelineSvg } from '../../stand/ha/report.js';
import { doubleHolderIntervals, type VipSample } from '../../stand/ha/vip-sampler.js';
import type { ScenarioResult } from '../../stand/ha/run-scenario.js';

const s = (at: number, member: string, writable?: boolean, role?: string): MemberSample => ({
  at,
  member,
  writable,
  role,
});

describe('splitBrainIntervals', () => {
  it('finds none when writability passes from one member to another', () => {
    expect(
      splitBrainIntervals([s(0, 'a', true), s(0, 'b', false), s(1, 'a', undefined), s(2, 'b', true), s(3, 'a', false)]),
    ).toEqual([]);
  });

  it('finds the interval in which two members were writable, in sample order', () => {
    const samples = [s(5, 'b', true), s(0, 'a', true), s(7, 'a', false), s(9, 'b', true)];
    expect(splitBrainIntervals(samples)).toEqual([{ from: 5, to: 7, members: ['a', 'b'] }]);
  });

  it('keeps an interval still open at the end', () => {
    expect(splitBrainIntervals([s(0, 'a', true), s(1, 'b', true), s(2, 'c', false)])).toEqual([
      { from: 1, to: 2, members: ['a', 'b'] },
    ]);
  });
});

/** A probe of `host` that ran from `from` to `at`. */
const v = (from: number, at: number, host: string, answers: boolean, holds = answers): VipSample => ({
  from,
  at,
  host,
  holds,
  answers,
});

describe('doubleHolderIntervals', () => {
  it('finds none when the address moves from one host to another', () => {
    expect(
      doubleHolderIntervals([
        v(0, 0.1, 'a', true),
        v(0.3, 0.4, 'a', true),
        v(0.6, 0.7, 'a', false),
        v(0.5, 0.55, 'b', false),
        v(0.75, 0.8, 'b', true),
        v(1, 1.1, 'b', true),
      ]),
    ).toEqual([]);
  });

  it("does not take a holder's last answering probe for a hold that goes on (a slow probe round)", () => {
    // a's next probe (0.3-0.4) finds the address gone; b took it in between and is seen twice.
    expect(
      doubleHolderIntervals([
        v(0, 0.1, 'a', true),
        v(0.3, 0.4, 'a', false),
        v(0.12, 0.15, 'b', true),
        v(0.35, 0.4, 'b', true),
      ]),
    ).toEqual([]);
  });

  it('does not count a holder that is cut off or stalled (it holds the address but answers no one)', () => {
    expect(
      doubleHolderIntervals([
        v(0, 0.1, 'a', false, true),
        v(0.3, 0.4, 'a', false, true),
        v(0, 0.1, 'b', true),
        v(0.3, 0.4, 'b', true),
      ]),
    ).toEqual([]);
  });

  it('finds two hosts answering at once, from where both are surely holding', () => {
    expect(
      doubleHolderIntervals([
        v(0.2, 0.25, 'b', true),
        v(0, 0.1, 'a', true),
        v(0.3, 0.4, 'a', true),
        v(0.45, 0.5, 'b', true),
        v(0.6, 0.7, 'a', true),
        v(0.9, 1, 'a', false),
        v(0.7, 0.8, 'b', true),
      ]),
    ).toEqual([{ from: 0.25, to: 0.6, hosts: ['a', 'b'] }]);
  });
});

const result: ScenarioResult = {
  name: 'leader-kill',
  title: 'Leader <killed>',
  before: { leader: 'pg01', sync: 'pg02', replicas: ['pg02', 'pg03'], vipHolder: 'pg01' },
  vipHolderAfter: 'pg03',
  vipDoubleHolders: [],
  vipSamples: [],
  vipTransitions: [],
  leaderAfter: 'pg02',
  unavailableSeconds: 18.6,
  acknowledged: 298,
  failedAttempts: 150,
  lost: 0,
  healSeconds: 6.1,
  splitBrain: [],
  faultStart: 3,
  faultEnd: 33,
  healedAt: 39,
  writes: [
    { t: 1, ok: true },
    { t: 4, ok: false },
    { t: 22, ok: true },
  ],
  samples: [
    s(1, 'pg01', true, 'primary'),
    s(1, 'pg02', false, 'replica'),
    s(4, 'pg01'),
    s(22, 'pg02', true, 'primary'),
  ].map((x) => ({ ...x, t: x.at })),
};

describe('report', () => {
  it('prints one table row per scenario with every column', () => {
    const md = markdownTable(
      [result, { ...result, name: 'x', healSeconds: undefined, leaderAfter: undefined }],
      'synchronous',
    );
    expect(md).toContain('| leader-kill | 18.6 s | 0 of 298 | 6.1 s | 0 | 0 | pg01 → pg02 | pg01 → pg03 |');
    expect(md).toContain('| x | 18.6 s | 0 of 298 | not healed | 0 | 0 | pg01 → ? | pg01 → pg03 |');
  });

  it('draws a standalone SVG with the writes, a lane per member, the fault and the heal, text escaped', () => {
    const svg = timelineSvg(result);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('Leader &lt;killed&gt;');
    for (const lane of ['writes', 'pg01', 'pg02']) expect(svg).toContain(`>${lane}</text>`);
    expect(svg.match(/fill="#cf222e"/g)?.length).toBeGreaterThanOrEqual(1); // the failed write
    expect(svg).toContain('stroke="#8250df"'); // healed
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
