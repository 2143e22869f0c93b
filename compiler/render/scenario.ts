// Renders a Molecule scenario to out/molecule/<name>/: molecule.yml and its playbooks (create,
// destroy, converge, verify, and prepare when the scenario has one).
// The scenario runs against the local stand with the emitted inventory (linked, not generated).
import { inventoryHosts, type Inventory } from '../../dsl/inventory.js';
import type { CfgValue } from './ansible-cfg.js';
import { playbook } from '../../dsl/playbook.js';
import type { Scenario } from '../../dsl/scenario.js';
import type { Problems } from '../errors.js';
import { renderPlaybook } from './playbook.js';
import type { RoleFileNames } from '../check/includes.js';

const PLAYBOOKS = ['create', 'destroy', 'prepare', 'converge', 'verify'] as const;

export function renderScenario(
  sc: Scenario,
  file: string,
  inventory: Inventory,
  ansibleCfg: Record<string, Record<string, CfgValue>>,
  inventoryVars: ReadonlySet<string>,
  roles: ReadonlyMap<string, RoleFileNames>,
  problems: Problems,
): Map<string, unknown> {
  const files = new Map<string, unknown>();
  const present = PLAYBOOKS.filter((p) => p !== 'prepare' || sc.prepare?.length);
  const dir = `molecule/${sc.name}`;
  const { inventory: _inv, roles_path: _roles, ...defaults } = ansibleCfg.defaults ?? {};
  files.set(`${dir}/molecule.yml`, {
    driver: { name: 'default', options: { managed: true } },
    platforms: [...inventoryHosts(inventory).keys()].map((h) => ({
      name: h,
      groups: Object.keys(inventory.groups).filter((g) => inventory.groups[g]?.hosts && h in inventory.groups[g].hosts),
    })),
    provisioner: {
      name: 'ansible',
      config_options: { defaults, ssh_connection: ansibleCfg.ssh_connection ?? {} },
      // Molecule runs in out/: roles and the secrets file are found from there.
      env: {
        ANSIBLE_ROLES_PATH: '${MOLECULE_PROJECT_DIRECTORY}/roles',
        PGHA_PROJECT_DIR: '${MOLECULE_PROJECT_DIRECTORY}/..',
      },
      inventory: { links: { hosts: `\${MOLECULE_PROJECT_DIRECTORY}/inventory/${inventory.name}.yml` } },
      playbooks: Object.fromEntries(present.map((p) => [p, `${p}.yml`])),
    },
    verifier: { name: 'ansible' },
    scenario: { name: sc.name, test_sequence: [...sc.sequence] },
  });
  for (const p of present) {
    const pb = playbook({ name: p, description: `${sc.description}: ${p}`, plays: sc[p] ?? [] });
    files.set(`${dir}/${p}.yml`, renderPlaybook(pb, `${file} (${p})`, inventoryVars, roles, problems));
  }
  return files;
}
