// Imports the roles, playbooks, inventories and scenarios that the emitted sources define.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Inventory } from '../dsl/inventory.js';
import type { Playbook } from '../dsl/playbook.js';
import type { Role } from '../dsl/role.js';
import type { Scenario } from '../dsl/scenario.js';
import type { VarDecls } from '../dsl/vars.js';
import { BuildError, Problems } from './errors.js';

export interface Sources {
  roles: { role: Role<VarDecls>; file: string; dir: string }[];
  playbooks: { playbook: Playbook; file: string }[];
  inventories: { inventory: Inventory; file: string }[];
  scenarios: { scenario: Scenario; file: string }[];
  /** Extra data files (e.g. the stand's host list for the Vagrantfile). */
  data: { path: string; value: unknown; file: string }[];
}

/**
 * A source's exports. In a project without `"type": "module"` the sources emit as CommonJS, whose
 * exports Node hands to an import as `default`: those are unwrapped.
 */
async function importModule(buildDir: string, rel: string): Promise<Record<string, unknown>> {
  const js = path.join(buildDir, rel.replace(/\.ts$/, '.js'));
  const mod = (await import(pathToFileURL(js).href)) as Record<string, unknown>;
  const cjs = mod.default as { __esModule?: boolean } | undefined;
  return cjs && typeof cjs === 'object' && cjs.__esModule ? cjs : mod;
}

async function importDefault(buildDir: string, rel: string): Promise<unknown> {
  return (await importModule(buildDir, rel)).default;
}

const isKind = (v: unknown, kind: string) =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind;

/** Imports what the emitted sources define: roles-src/<name>/role.ts, playbooks/*.ts, molecule-src/*.ts. */
export async function loadSources(root: string, buildDir: string, files: string[]): Promise<Sources> {
  const problems = new Problems();
  const sources: Sources = { roles: [], playbooks: [], inventories: [], scenarios: [], data: [] };
  for (const rel of files.sort()) {
    let m: RegExpExecArray | null;
    if ((m = /^roles-src\/([^/]+)\/role\.ts$/.exec(rel))) {
      const role = await importDefault(buildDir, rel);
      if (!isKind(role, 'role')) {
        problems.add(rel, 'default export', 'expected a role made with defineRole()');
        continue;
      }
      sources.roles.push({ role: role as Role<VarDecls>, file: rel, dir: path.join(root, 'roles-src', m[1]!) });
    } else if (/^playbooks\/[^/]+\.ts$/.test(rel)) {
      const pb = await importDefault(buildDir, rel);
      if (!isKind(pb, 'playbook')) {
        problems.add(rel, 'default export', 'expected a playbook made with playbook()');
        continue;
      }
      sources.playbooks.push({ playbook: pb as Playbook, file: rel });
    } else if (/^molecule-src\/[^/]+\.ts$/.test(rel)) {
      const sc = await importDefault(buildDir, rel);
      if (!isKind(sc, 'scenario')) {
        problems.add(rel, 'default export', 'expected a Molecule scenario made with scenario()');
        continue;
      }
      sources.scenarios.push({ scenario: sc as Scenario, file: rel });
    } else if (/^inventories\/[^/]+\.ts$/.test(rel)) {
      // An inventory file exports its inventory as default; helpers beside it export none.
      const mod = (await importModule(buildDir, rel)) as { default?: unknown; emits?: Record<string, unknown> };
      if (mod.default !== undefined && !isKind(mod.default, 'inventory')) {
        problems.add(rel, 'default export', 'expected an inventory made with inventory()');
        continue;
      }
      if (mod.default !== undefined) sources.inventories.push({ inventory: mod.default as Inventory, file: rel });
      for (const [p, value] of Object.entries(mod.emits ?? {})) sources.data.push({ path: p, value, file: rel });
    }
  }
  problems.throwIfAny();
  // Playbooks run against an inventory; a project of roles alone needs none.
  if (!sources.inventories.length && sources.playbooks.length)
    throw new BuildError([
      {
        file: 'inventories/',
        field: 'default export',
        message: 'playbooks need an inventory: none defined (inventories/<name>.ts: export default inventory(...))',
      },
    ]);
  return sources;
}
