// Every Molecule scenario (compiled to out/molecule) on the local stand: converge, idempotence
// and verify per role, and the stand scenario that creates and destroys.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, expect, it } from 'vitest';
import { ansibleEnv } from '../../lib/python-env.js';
import { compile, ROOT, venvBin } from '../helpers/project.js';
import { standCli } from '../helpers/stand.js';

// Alphabetical, as `molecule test --all` runs them; `stand` last, since it destroys the stand.
// `cluster` is left to users (`npm run molecule -- test -s cluster`): it deploys the whole site and
// checks the replication and HAProxy's routing and stats page, all of which cluster.test.ts already
// does on its own fresh deploy; running both cost the suite a full site run (~200 s). ansible-lint
// still checks its playbooks in the compiler tier (it lints the whole of out/).
const SCENARIOS = ['dns', 'etcd', 'ntp', 'patroni', 'stand'];

beforeAll(async () => {
  expect((await compile(ROOT)).code).toBe(0);
  expect((await standCli('secrets')).code).toBe(0);
});

it.each(SCENARIOS)('molecule test -s %s passes', async (name) => {
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
  // `stand` creates and destroys only.
  if (name !== 'stand') expect(out).toMatch(/idempotence(\]|:) Executed: Successful/);
});
