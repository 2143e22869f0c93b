// Create and destroy for every scenario: they bring the local stand up and down through its CLI.
// Scenarios share the one stand: only the `stand` scenario destroys it.
import { command, scenario } from '../../dsl/index.js';
const PROJECT = '{{ playbook_dir }}/../../..';
const standCommand = (name, sub) => [{
        name, hosts: 'localhost', gather_facts: false,
        tasks: [{
                kind: 'task', name: `Run the stand's ${sub}`,
                call: command({ cmd: `node_modules/.bin/tsx stand/cli.ts ${sub}`, chdir: PROJECT }),
                changed_when: false,
            }],
    }];
export const createStand = standCommand('Bring the local stand up', 'up');
export const destroyStand = standCommand('Take the local stand down', 'down');
/** The shared-stand sequence: converge twice (idempotence) and verify, leaving the stand up. */
export const SHARED = ['create', 'converge', 'idempotence', 'verify'];
/** Converge starts with the stand's up too: Molecule skips `create` when its state (kept in
 * ~/.ansible/tmp across clones and runs) says the instances exist, while the stand may be down. */
export function standScenario(name, description, converge, verify, sequence = SHARED) {
    return scenario(name, { description, create: createStand, destroy: destroyStand, converge: [...createStand, ...converge], verify, sequence });
}
