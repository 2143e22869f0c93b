// Benchmark (not a test): median wall time of `npm run build` next to a bare `tsc --noEmit`
// over the same sources, measured side by side, alternating, in one run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { PROJECT_ROOT } from './python-env.js';
const opts = new Command('bench:build').option('-n, --runs <n>', 'runs of each', '7').parse().opts();
const runs = Number(opts.runs);
const bin = (t) => path.join(PROJECT_ROOT, 'node_modules', '.bin', t);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-bench-'));
async function time(cmd, args) {
    const t0 = performance.now();
    await execa(cmd, args, { cwd: PROJECT_ROOT });
    return performance.now() - t0;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const build = [];
const tsc = [];
await time(bin('tsx'), ['compiler/cli.ts', 'build', '--out', out]); // warm the file cache
for (let i = 0; i < runs; i++) {
    build.push(await time(bin('tsx'), ['compiler/cli.ts', 'build', '--out', out]));
    tsc.push(await time(bin('tsc'), ['--noEmit', '-p', 'tsconfig.sources.json']));
}
fs.rmSync(out, { recursive: true, force: true });
const b = median(build);
const t = median(tsc);
console.log(`runs: ${runs} each, alternating`);
console.log(`build (npm run build): median ${b.toFixed(0)} ms  [${build.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`tsc --noEmit (same sources): median ${t.toFixed(0)} ms  [${tsc.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`ratio build / tsc: ${(b / t).toFixed(2)} (goal <= 1.5)`);
