import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BuildError, Problems } from './errors.js';
async function importDefault(buildDir, rel) {
    const js = path.join(buildDir, rel.replace(/\.ts$/, '.js'));
    const mod = (await import(pathToFileURL(js).href));
    return mod.default;
}
const isKind = (v, kind) => typeof v === 'object' && v !== null && v.kind === kind;
/** Imports what the emitted sources define: roles-src/<name>/role.ts, playbooks/*.ts, molecule-src/*.ts. */
export async function loadSources(root, buildDir, files) {
    const problems = new Problems();
    const sources = { roles: [], playbooks: [], inventories: [], scenarios: [], data: [] };
    for (const rel of files.sort()) {
        let m;
        if ((m = /^roles-src\/([^/]+)\/role\.ts$/.exec(rel))) {
            const role = await importDefault(buildDir, rel);
            if (!isKind(role, 'role')) {
                problems.add(rel, 'default export', 'expected a role made with defineRole()');
                continue;
            }
            sources.roles.push({ role: role, file: rel, dir: path.join(root, 'roles-src', m[1]) });
        }
        else if (/^playbooks\/[^/]+\.ts$/.test(rel)) {
            const pb = await importDefault(buildDir, rel);
            if (!isKind(pb, 'playbook')) {
                problems.add(rel, 'default export', 'expected a playbook made with playbook()');
                continue;
            }
            sources.playbooks.push({ playbook: pb, file: rel });
        }
        else if (/^molecule-src\/[^/]+\.ts$/.test(rel)) {
            const sc = await importDefault(buildDir, rel);
            if (!isKind(sc, 'scenario')) {
                problems.add(rel, 'default export', 'expected a Molecule scenario made with scenario()');
                continue;
            }
            sources.scenarios.push({ scenario: sc, file: rel });
        }
        else if (rel === 'stand/inventory.ts') {
            const mod = (await import(pathToFileURL(path.join(buildDir, 'stand/inventory.js')).href));
            for (const inventory of mod.inventories)
                sources.inventories.push({ inventory, file: rel });
            for (const [p, value] of Object.entries(mod.standData))
                sources.data.push({ path: p, value, file: rel });
        }
    }
    problems.throwIfAny();
    if (!sources.inventories.length)
        throw new BuildError([{ file: 'stand/inventory.ts', field: 'inventories', message: 'no inventory defined' }]);
    return sources;
}
