// The import's proof: the role the project now emits, compared with the original as Ansible reads
// both (compare-role.py: ansible-core's loader and ModuleArgsParser). Any difference it cannot
// justify is refused, naming the file and the key, with the two readings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ansibleTool, PROJECT_ROOT } from '../../lib/python-env.js';
import { ImportError } from './read-role.js';

export interface RoleDifference {
  file: string;
  where: string;
  original: unknown;
  emitted: unknown;
}

const COMPARE = path.join(PROJECT_ROOT, 'compiler', 'import', 'compare-role.py');
const LAUNCH = path.join(PROJECT_ROOT, 'compiler', 'launch.mjs');

/** The differences between a role folder and the emitted one; `localRoles`: the project's roles. */
export async function compareRoles(
  original: string,
  emitted: string,
  localRoles: readonly string[],
): Promise<RoleDifference[]> {
  const r = await execa(ansibleTool('python'), [COMPARE, '--local-roles', localRoles.join(','), original, emitted], {
    reject: false,
    timeout: 300_000,
  });
  if (r.exitCode !== 0)
    throw new ImportError(`comparing ${emitted} with ${original} failed: ${r.stderr.split('\n').slice(-5).join('\n')}`);
  return JSON.parse(r.stdout) as RoleDifference[];
}

const shown = (v: unknown) => {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 160)}...` : text;
};

export function describeDifferences(role: string, differences: readonly RoleDifference[]): string {
  return differences
    .map(
      (d) =>
        `${role}/${d.file}${d.where === '(whole file)' ? '' : ` ${d.where}`}: the original has ${shown(d.original)}, the emitted role ${shown(d.emitted)}`,
    )
    .join('\n  ');
}

/**
 * Builds the project into a scratch folder and compares the emitted `name` role with `original`:
 * throws an ImportError listing every difference.
 */
export async function verifyImportedRole(root: string, name: string, original: string): Promise<void> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-import-check-'));
  try {
    // A build of its own, in a process of its own: this one has loaded the project's sources as
    // they were before the import (Node keeps a module once loaded).
    const b = await execa(process.execPath, [LAUNCH, 'build', '--root', root, '--out', outDir], {
      reject: false,
      timeout: 600_000,
    });
    if (b.exitCode !== 0)
      throw new ImportError(`the import is checked by building the project, which failed:\n${b.stderr.trim()}`);
    const localRoles = fs.readdirSync(path.join(outDir, 'roles'));
    const differences = await compareRoles(original, path.join(outDir, 'roles', name), localRoles);
    if (differences.length)
      throw new ImportError(
        `the emitted role would run differently from ${original} (read by Ansible's own parser):\n  ${describeDifferences(name, differences)}`,
      );
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
