// Probe: realistic mistakes, one per build, on the bad-input fixture role and play. Prints for each
// the stage that refuses it (type check, build, ansible-lint) or "through" when nothing does, and
// a count per class. Measures, does not assert: tests/compiler/bad-input.test.ts asserts.
// Usage: npm run probe:mistakes [-- --compiler DIR] [--only TEXT]
//   --compiler: another checkout's compiler and DSL (e.g. a worktree of an older commit), for a before/after table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { MISTAKES, type Mistake } from './mistake-cases.js';
import { SOURCES } from '../helpers/project.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const opts = new Command()
  .option('--compiler <dir>', 'checkout whose compiler/ and dsl/ build the probes', ROOT)
  .option('--only <text>', 'cases whose name contains this text')
  .parse()
  .opts<{ compiler: string; only?: string }>();
const compilerRoot = path.resolve(opts.compiler);

const FIXTURE = path.join(ROOT, 'tests/fixtures/bad-input');

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-probe-'));
  for (const s of SOURCES)
    fs.cpSync(path.join(s === 'dsl' ? compilerRoot : ROOT, s), path.join(dir, s), { recursive: true });
  for (const rel of ['roles-src/clock', 'playbooks/clock.ts'])
    fs.cpSync(path.join(FIXTURE, rel), path.join(dir, rel), { recursive: true });
  // The compiled schemas, as the project's own builds keep them (compiling them is most of a cold build).
  const ajv = path.join(ROOT, '.build', 'ajv');
  if (fs.existsSync(ajv)) fs.cpSync(ajv, path.join(dir, '.build', 'ajv'), { recursive: true });
  return dir;
}

function apply(dir: string, m: Mistake): void {
  for (const [rel, from, to] of m.edits) {
    const p = path.join(dir, rel);
    const text = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '';
    if (from === null) {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text + to);
      continue;
    }
    if (!text.includes(from)) throw new Error(`${m.name}: '${from}' not in ${rel}`);
    fs.writeFileSync(p, text.replace(from, to));
  }
}

async function build(dir: string) {
  return execa(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    [path.join(compilerRoot, 'compiler/cli.ts'), 'build', '--root', dir, '--out', path.join(dir, 'out')],
    { reject: false, cwd: dir },
  );
}

/** ansible-lint's findings (production profile) for the fixture's role and playbook. */
async function lintFindings(dir: string): Promise<string[]> {
  const r = await execa(
    path.join(ROOT, '.venv/bin/ansible-lint'),
    ['--profile', 'production', '--offline', '--nocolor', '-f', 'codeclimate', 'roles/clock', 'clock.yml'],
    { reject: false, cwd: path.join(dir, 'out') },
  );
  const found = JSON.parse(r.stdout || '[]') as { check_name: string; location: { path: string } }[];
  return found.map((f) => `${f.check_name} ${f.location.path}`).sort();
}

type Stage = 'type check' | 'build' | 'lint' | 'through';

const base = project();
if ((await build(base)).exitCode !== 0) throw new Error('the unbroken fixture does not build');
const baseline = new Set(await lintFindings(base));
fs.rmSync(base, { recursive: true, force: true });

const rows: { m: Mistake; stage: Stage; first: string }[] = [];
for (const m of MISTAKES.filter((x) => !opts.only || x.name.includes(opts.only))) {
  const dir = project();
  apply(dir, m);
  const r = await build(dir);
  let stage: Stage;
  let first = r.stderr.split('\n')[0] ?? '';
  if (r.exitCode !== 0) stage = /TypeScript errors/.test(r.stderr) ? 'type check' : 'build';
  else {
    const added = (await lintFindings(dir)).filter((f) => !baseline.has(f));
    stage = added.length ? 'lint' : 'through';
    first = added[0] ?? '';
  }
  rows.push({ m, stage, first });
  process.stdout.write(`${m.class} | ${m.name} | ${stage} | ${first.slice(0, 160)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
}

const stages: Stage[] = ['type check', 'build', 'lint', 'through'];
process.stdout.write(`\nclass | cases | ${stages.join(' | ')}\n`);
for (const c of [...new Set(rows.map((r) => r.m.class))]) {
  const of = rows.filter((r) => r.m.class === c);
  process.stdout.write(
    `${c} | ${of.length} | ${stages.map((s) => of.filter((r) => r.stage === s).length).join(' | ')}\n`,
  );
}
process.stdout.write(
  `all | ${rows.length} | ${stages.map((s) => rows.filter((r) => r.stage === s).length).join(' | ')}\n`,
);
// A refusal an editor cannot jump to: the build's first line names no `file:line:col`.
const lineless = rows.filter((r) => r.stage === 'build' && !/^[^\s:]+:\d+:\d+: /.test(r.first));
process.stdout.write(`build refusals without a line: ${lineless.length}\n`);
for (const r of lineless) process.stdout.write(`  ${r.m.name}: ${r.first.slice(0, 160)}\n`);
