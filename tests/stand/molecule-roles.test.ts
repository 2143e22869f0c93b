// The roles' Molecule scenarios (compiled to out/molecule) on the local stand's running cluster:
// prepare, converge, idempotence and verify per role.
import { beforeAll, expect, it } from 'vitest';
import { buildForMolecule, moleculeTest } from '../helpers/molecule.js';

// Alphabetical, as `molecule test --all` runs them. `stand` (create and destroy) has a file of its
// own after five-hosts, which works on the cluster these leave. `cluster` is left to users
// (`npm run molecule -- test -s cluster`): it deploys the whole site and checks the replication and
// HAProxy's routing and stats page, all of which cluster.test.ts already does on its own fresh
// deploy; running both cost the suite a full site run (~200 s). ansible-lint still checks its
// playbooks in the compiler tier (it lints the whole of out/).
const SCENARIOS = ['dns', 'etcd', 'ntp', 'patroni'];

beforeAll(buildForMolecule);

it.each(SCENARIOS)('molecule test -s %s passes, idempotent', async (name) => {
  expect(await moleculeTest(name)).toMatch(/idempotence(\]|:) Executed: Successful/);
});
