// Runs one compiled Molecule scenario (out/molecule/<name>) with `molecule test` and checks its summary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { ansibleEnv } from '../../lib/python-env.js';
import { compile, ROOT, venvBin } from './project.js';
import { opsCli } from './stand.js';

/** What every Molecule file needs first: out/ built and the secrets file there. */
export async function buildForMolecule(): Promise<void> {
  expect((await compile(ROOT)).code).toBe(0);
  expect((await opsCli('secrets')).code).toBe(0);
}

export async function moleculeTest(name: string): Promise<string> {
  // A fresh state folder: Molecule's own state (kept in ~/.ansible/tmp across runs and clones)
  // would otherwise skip `create` when an earlier run left the scenario "created".
  const state = fs.mkdtempSync(path.join(os.tmpdir(), `molecule-${name}-`));
  const r = await execa(venvBin('molecule'), ['test', '-s', name], {
    cwd: path.join(ROOT, 'out'),
    env: { ...ansibleEnv(), NO_COLOR: '1', MOLECULE_EPHEMERAL_DIRECTORY: state },
    reject: false,
    all: true,
  });
  fs.rmSync(state, { recursive: true, force: true });
  const out = r.all;
  expect(r.exitCode, out.slice(-4000)).toBe(0);
  expect(out).toMatch(
    new RegExp(`${name}\\s+: actions=\\d+\\s+successful=\\d+\\s+disabled=0\\s+skipped=0\\s+missing=0\\s+failed=0`),
  );
  expect(out).toMatch(/create(\]|:) Executed: Successful/);
  return out;
}
