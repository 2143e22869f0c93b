// The project's Python environment (.venv, from requirements.txt): every Ansible tool runs from it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this file with tsconfig.sources.json (this file may
 * run from its transpiled copy in .build/tool). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'tsconfig.sources.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no project root (tsconfig.sources.json) above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const VENV = path.join(PROJECT_ROOT, '.venv');

export function ansibleTool(name: string): string {
  const p = path.join(VENV, 'bin', name);
  if (!fs.existsSync(p))
    throw new Error(`${p} is missing: run 'npm run setup:python' to create the project's Python environment.`);
  return p;
}

/** Environment for running Ansible tools: the venv first on PATH, the project's ansible.cfg. */
export function ansibleEnv(): Record<string, string> {
  return {
    PATH: `${path.join(VENV, 'bin')}:${process.env.PATH ?? ''}`,
    ANSIBLE_CONFIG: path.join(PROJECT_ROOT, 'ansible.cfg'),
    // The stand's key lives in its cache (ansible.cfg names the default one): another cache, another key.
    ...(process.env.PGHA_STAND_CACHE
      ? { ANSIBLE_PRIVATE_KEY_FILE: path.join(process.env.PGHA_STAND_CACHE, 'ssh', 'id_ed25519') }
      : {}),
    ANSIBLE_FORCE_COLOR: '0',
    PY_COLORS: '0',
  };
}

/**
 * Environment that runs a playbook with Mitogen's linear strategy: the same task order and results
 * as Ansible's own `linear`, each module run in a Python interpreter kept on the host for the
 * whole run instead of one started per task, which halves an unchanged site.yml on the stand
 * (docs/run-times.md). Every playbook the project's commands, benchmarks and stand tests run uses
 * it; `ansible-playbook` started by hand uses Ansible's own strategy unless given these variables.
 */
export function mitogenEnv(): Record<string, string> {
  return {
    ANSIBLE_STRATEGY_PLUGINS: sitePackage('ansible_mitogen/plugins/strategy'),
    ANSIBLE_STRATEGY: 'mitogen_linear',
  };
}

function sitePackage(rel: string): string {
  const lib = path.join(VENV, 'lib');
  const py = fs.existsSync(lib) ? fs.readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  const p = py && path.join(lib, py, 'site-packages', rel);
  if (!p || !fs.existsSync(p)) throw new Error(`${rel} not found under ${lib}: run 'npm run setup:python'.`);
  return p;
}

/** ansible-lint's JSON schemas, read from the installed package (never copied). */
export const ansibleLintSchemasDir = () => sitePackage('ansiblelint/schemas');
/** Molecule's own schema for molecule.yml. */
export const moleculeSchemaFile = () => sitePackage('molecule/data/molecule.json');
