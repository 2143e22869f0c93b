import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The stand tier shares one stand, so its files run in an order that reuses what the one before
 * left: the lifecycle test ends with the stand down, package-path brings up blank hosts and tries the
 * package path behind test upstreams, cluster deploys it fresh, operations, backup and
 * faults work on that cluster (restoring it), the roles' Molecule scenarios run on it, five-hosts
 * grows it to five database hosts and leaves it so, Molecule's `stand` scenario destroys the stand,
 * and plaintext deploys a stand of its own with TLS off last.
 */
const STAND_ORDER = [
  'stand-lifecycle',
  'package-path',
  'cluster',
  'plan',
  'operations',
  'backup',
  'faults',
  'molecule-roles',
  'five-hosts',
  'molecule-stand',
  'plaintext',
];

class StandOrder extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = STAND_ORDER.indexOf(path.basename(f.moduleId, '.test.ts'));
      return i < 0 ? STAND_ORDER.length : i;
    };
    return Promise.resolve([...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId)));
  }
}

// Three tiers: `unit` (pure functions, seconds), `compiler` (real builds of scratch projects,
// ansible-lint, Ansible and Ruby reading the output; minutes) and `stand` (the local stand, real services).
export default defineConfig({
  test: {
    sequence: { sequencer: StandOrder },
    // Two test files at a time (the stand tier stays in one fork): compiler tests wait mostly on a
    // build, Ansible or ansible-lint process, and vitest's default on a 2-core machine is one.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'compiler',
          include: ['tests/compiler/**/*.test.ts'],
          // The timeouts allow for two files sharing the machine (maxWorkers below).
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'stand',
          include: ['tests/stand/**/*.test.ts'],
          // The stand tier deploys and logs in with passwords full of characters that must stay
          // data (tests/helpers/stand-secrets.ts), in a secrets file of its own.
          globalSetup: ['tests/helpers/stand-secrets.ts'],
          // One stand on the machine: its test files run one after another.
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 1_200_000,
          hookTimeout: 1_200_000,
        },
      },
    ],
  },
});
