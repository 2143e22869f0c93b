// The HA benchmark's report: a Markdown table and one SVG timeline per scenario (writes
// acknowledged and failed, which member was writable or led when, the fault and the heal).
import type { ScenarioResult } from './run-scenario.js';

const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '–' : n.toFixed(digits));

export function markdownTable(results: readonly ScenarioResult[], mode: string): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${fmt(r.unavailableSeconds)} s | ${r.lost} of ${r.acknowledged} | ` +
      `${r.healSeconds === undefined ? 'not healed' : `${fmt(r.healSeconds)} s`} | ${r.splitBrain.length} | ` +
      `${r.vipDoubleHolders.length} | ${r.before.leader} → ${r.leaderAfter ?? '?'} | ${r.before.vipHolder ?? '–'} → ${r.vipHolderAfter ?? '–'} |`,
  );
  return [
    `Replication: ${mode}. A client writes through the virtual IP's read-write port every 100 ms.`,
    '',
    '| scenario | write unavailability | acknowledged writes lost | healed after fault end | moments with two writable members | moments with two virtual IP holders | leader | virtual IP |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One scenario's timeline as a standalone SVG. */
export function timelineSvg(r: ScenarioResult): string {
  const members = [...new Set(r.samples.map((s) => s.member))].sort();
  const end = Math.max(r.writes.at(-1)?.t ?? 0, r.samples.at(-1)?.t ?? 0, 1);
  const left = 110,
    width = 860,
    lane = 26,
    top = 46;
  const x = (t: number) => left + (t / end) * width;
  const height = top + lane * (members.length + 1) + 56;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 30}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${esc(r.name)}: ${esc(r.title)}</text>`,
    `<text x="10" y="36">unavailable ${fmt(r.unavailableSeconds)} s · lost ${r.lost} of ${r.acknowledged} · healed ${r.healSeconds === undefined ? 'no' : `${fmt(r.healSeconds)} s after the fault ended`} · two writable ${r.splitBrain.length}×</text>`,
    // The fault window, shaded across every lane.
    `<rect x="${x(r.faultStart)}" y="${top - 4}" width="${Math.max(2, x(r.faultEnd) - x(r.faultStart))}" height="${lane * (members.length + 1) + 4}" fill="#fde2e2"/>`,
  ];
  // Writes: one tick per attempt, green when acknowledged, red when it failed.
  parts.push(`<text x="10" y="${top + 15}">writes</text>`);
  for (const w of r.writes) {
    parts.push(
      `<rect x="${x(w.t).toFixed(1)}" y="${top + (w.ok ? 2 : 10)}" width="1.5" height="${w.ok ? 14 : 10}" fill="${w.ok ? '#2da44e' : '#cf222e'}"/>`,
    );
  }
  // Members: a bar per sample interval, coloured by what the member was.
  members.forEach((m, i) => {
    const y = top + lane * (i + 1);
    parts.push(`<text x="10" y="${y + 15}">${esc(m)}</text>`);
    const mine = r.samples.filter((s) => s.member === m);
    mine.forEach((s, j) => {
      const next = mine[j + 1]?.t ?? s.t + 0.25;
      const colour = s.writable
        ? '#0969da'
        : s.role === 'primary' || s.role === 'master'
          ? '#80ccff'
          : s.role === 'replica'
            ? '#afb8c1'
            : s.role
              ? '#d4a72c'
              : '#ffffff';
      parts.push(
        `<rect x="${x(s.t).toFixed(1)}" y="${y + 3}" width="${Math.max(0.5, x(next) - x(s.t)).toFixed(1)}" height="${lane - 8}" fill="${colour}"/>`,
      );
    });
    parts.push(`<rect x="${left}" y="${y + 3}" width="${width}" height="${lane - 8}" fill="none" stroke="#d0d7de"/>`);
  });
  if (r.healedAt !== undefined) {
    parts.push(
      `<line x1="${x(r.healedAt)}" x2="${x(r.healedAt)}" y1="${top - 6}" y2="${top + lane * (members.length + 1)}" stroke="#8250df" stroke-width="2"/>`,
    );
  }
  for (const b of r.splitBrain) {
    parts.push(
      `<rect x="${x(b.fromSeconds)}" y="${top - 6}" width="${Math.max(2, x(b.toSeconds) - x(b.fromSeconds))}" height="4" fill="#cf222e"/>`,
    );
  }
  // Axis and legend.
  const axisY = top + lane * (members.length + 1) + 14;
  for (let t = 0; t <= end; t += end > 60 ? 10 : 5)
    parts.push(`<text x="${x(t)}" y="${axisY}" text-anchor="middle" fill="#57606a">${t}s</text>`);
  const legend: [string, string][] = [
    ['#2da44e', 'write acknowledged'],
    ['#cf222e', 'write failed'],
    ['#0969da', 'writable primary'],
    ['#80ccff', 'primary, not acknowledging'],
    ['#afb8c1', 'replica'],
    ['#d4a72c', 'other state'],
    ['#fde2e2', 'fault'],
    ['#8250df', 'healed'],
  ];
  let lx = 10;
  legend.forEach(([c, label]) => {
    parts.push(
      `<rect x="${lx}" y="${axisY + 16}" width="10" height="10" fill="${c}" stroke="#d0d7de"/><text x="${lx + 14}" y="${axisY + 25}">${esc(label)}</text>`,
    );
    lx += 14 + label.length * 6.6 + 16; // about 6.6 px per character at 12 px sans-serif
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
