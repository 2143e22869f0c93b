import { playbook } from '../dsl/playbook.js';
import { renderPlaybook } from './render-playbook.js';
const PLAYBOOKS = ['create', 'destroy', 'converge', 'verify'];
export function renderScenario(sc, file, inventory, ansibleCfg, inventoryVars, roleNames, problems) {
    const files = new Map();
    const dir = `molecule/${sc.name}`;
    const { inventory: _inv, roles_path: _roles, ...defaults } = ansibleCfg.defaults ?? {};
    files.set(`${dir}/molecule.yml`, {
        driver: { name: 'default', options: { managed: true } },
        platforms: Object.entries(inventory.groups).flatMap(([g, def]) => Object.keys(def.hosts).map((h) => ({ name: h, groups: [g] }))),
        provisioner: {
            name: 'ansible',
            config_options: { defaults, ssh_connection: ansibleCfg.ssh_connection ?? {} },
            // Molecule runs in out/: roles and the secrets file are found from there.
            env: {
                ANSIBLE_ROLES_PATH: '${MOLECULE_PROJECT_DIRECTORY}/roles',
                PGHA_PROJECT_DIR: '${MOLECULE_PROJECT_DIRECTORY}/..',
            },
            inventory: { links: { hosts: `\${MOLECULE_PROJECT_DIRECTORY}/inventory/${inventory.name}.yml` } },
            playbooks: Object.fromEntries(PLAYBOOKS.map((p) => [p, `${p}.yml`])),
        },
        verifier: { name: 'ansible' },
        scenario: { name: sc.name, test_sequence: [...sc.sequence] },
    });
    for (const p of PLAYBOOKS) {
        const pb = playbook(p, `${sc.description}: ${p}`, sc[p]);
        files.set(`${dir}/${p}.yml`, renderPlaybook(pb, `${file} (${p})`, inventoryVars, roleNames, problems));
    }
    return files;
}
