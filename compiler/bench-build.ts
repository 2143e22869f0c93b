// Benchmark (not a test): median wall time of `npm run build` next to a bare `tsc --noEmit`
// over the same sources, measured side by side, alternating, in one run. Three build figures:
// cold (no .build cache: type check, emit, schema compilation), changed sources (the schemas
// compiled by an earlier build, as after any edit) and unchanged sources.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { buildNodeFlags } from '../lib/build-node-flags.js';
import { PROJECT_ROOT } from '../lib/python-env.js';

const opts = new Command('bench:build').option('-n, --runs <n>', 'runs of each', '7').parse().opts<{ runs: string }>();
const runs = Number(opts.runs);
const bin = (t: string) => path.join(PROJECT_ROOT, 'node_modules', '.bin', t);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-bench-'));

async function time(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  await execa(cmd, args, { cwd: PROJECT_ROOT });
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// With the V8 flags `npm run build` gives node (package.json), and a bare tsc beside it both
// without them and with them: the flags would make tsc faster too.
const nodeFlags = buildNodeFlags();
const build = () => time('node', [...nodeFlags, 'compiler/launch.mjs', 'build', '--out', out]);
const tscArgs = ['--noEmit', '-p', 'tsconfig.sources.json'];
const tscJs = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'lib', 'tsc.js');
const cache = path.join(PROJECT_ROOT, '.build');
const cold: number[] = [];
const changed: number[] = [];
const warm: number[] = [];
const tsc: number[] = [];
const tscFlagged: number[] = [];
await build(); // the compiler's own transpiled copy, and the file cache
for (let i = 0; i < runs; i++) {
  for (const d of ['js', 'ajv']) fs.rmSync(path.join(cache, d), { recursive: true, force: true });
  cold.push(await build());
  fs.rmSync(path.join(cache, 'js'), { recursive: true, force: true });
  changed.push(await build());
  warm.push(await build());
  tsc.push(await time(bin('tsc'), tscArgs));
  tscFlagged.push(await time('node', [...nodeFlags, tscJs, ...tscArgs]));
}
fs.rmSync(out, { recursive: true, force: true });
const t = median(tsc);
const show = (label: string, xs: number[]) => {
  console.log(`${label}: median ${median(xs).toFixed(0)} ms  [${xs.map((x) => x.toFixed(0)).join(', ')}]`);
};
console.log(`runs: ${runs} of each, alternating; the build's node flags: ${nodeFlags.join(' ')}`);
show('tsc --noEmit (same sources)        ', tsc);
show("tsc --noEmit, the build's flags    ", tscFlagged);
show('npm run build, cold (no .build)    ', cold);
show('npm run build, sources changed     ', changed);
show('npm run build, sources unchanged   ', warm);
const ratios = (label: string, base: number) => {
  console.log(
    `${label}: cold ${(median(cold) / base).toFixed(2)}, sources changed ${(median(changed) / base).toFixed(2)}, unchanged ${(median(warm) / base).toFixed(2)}`,
  );
};
ratios('ratio to tsc (goal <= 1.5)          ', t);
ratios("ratio to tsc with the build's flags ", median(tscFlagged));
