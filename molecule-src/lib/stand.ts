// Create and destroy for every scenario: they bring the local stand up and down through its CLI.
// Scenarios share the one stand: only the `stand` scenario destroys it.
import { installedPackages } from '../../playbooks/lib/installed-packages.js';
import { command, type MoleculeStep, type Play, type PlayEntry, scenario, type Scenario } from '../../dsl/index.js';

const PROJECT = '{{ playbook_dir }}/../../..';

const standCommand = (name: string, sub: 'up' | 'down'): Play[] => [
  {
    name,
    hosts: 'localhost',
    gather_facts: false,
    tasks: [
      {
        kind: 'task',
        name: `Run the stand's ${sub}`,
        call: command({ cmd: `node_modules/.bin/tsx stand/cli.ts ${sub}`, chdir: PROJECT }),
        changed_when: false,
      },
    ],
  },
];

export const createStand = standCommand('Bring the local stand up', 'up');
export const destroyStand = standCommand('Take the local stand down', 'down');

/** The shared-stand sequence: prepare (what the role needs), converge twice (idempotence) and verify, leaving the stand up. */
export const SHARED: readonly MoleculeStep[] = ['create', 'prepare', 'converge', 'idempotence', 'verify'];

/** Converge starts with the stand's up too: Molecule skips `create` when its state (kept in
 * ~/.ansible/tmp across clones and runs) says the instances exist, while the stand may be down. */
export function standScenario(
  name: string,
  description: string,
  converge: readonly PlayEntry[],
  verify: readonly PlayEntry[],
  opts: { prepare?: readonly Play[]; sequence?: readonly MoleculeStep[] } = {},
): Scenario {
  const prepare = opts.prepare ?? [];
  const sequence = (opts.sequence ?? SHARED).filter((s) => s !== 'prepare' || prepare.length);
  return scenario({
    name: name,
    description,
    create: createStand,
    destroy: destroyStand,
    // As in site.yml: each run reads the installed packages first, so installs skip what is there.
    prepare: prepare.length ? [installedPackages, ...prepare] : [],
    converge: [...createStand, installedPackages, ...converge],
    verify,
    sequence,
  });
}
