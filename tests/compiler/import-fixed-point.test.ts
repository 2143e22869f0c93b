// Importing the product's own emitted roles and building again gives byte-identical out/: the
// importer loses nothing the build writes (task comments, optional variables, secrets, template
// headers included). One exception: a README's Dependencies section lists the roles a role
// `needs` (pki's certificates...), which only the TypeScript source declares; the YAML has no place
// for it, so the section is compared without those lines. Likewise the variables' topics (the
// README's `###` groups under Role Variables): the variables' rows and default blocks are compared
// as a set of lines, without the grouping.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { importRole } from '../../compiler/import/import-role.js';
import { compile, readTree, scratchProject } from '../helpers/project.js';

it('importing out/roles/* and building again is a fixed point', async () => {
  const dir = scratchProject();
  const first = await compile(dir);
  expect(first.code, first.stderr).toBe(0);
  const before = readTree(path.join(dir, 'out'));
  const roles = fs.readdirSync(path.join(dir, 'out/roles')).sort();
  expect(roles.length).toBeGreaterThan(0);
  // From a copy: the import reads what the first build emitted, then the second build replaces out/.
  const emitted = fs.mkdtempSync(path.join(dir, 'emitted-'));
  fs.cpSync(path.join(dir, 'out/roles'), emitted, { recursive: true });
  for (const role of roles) {
    const r = await importRole(path.join(emitted, role), { root: dir, name: role, force: true });
    expect(r.summary.untyped, `${role}: ${r.summary.notes.join('; ')}`).toBe(0);
  }
  const second = await compile(dir);
  expect(second.code, second.stderr).toBe(0);
  const after = readTree(path.join(dir, 'out'));
  expect([...after.keys()]).toEqual([...before.keys()]);
  const ungrouped = (section: string) =>
    section
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('### ') && !l.startsWith('| Name |') && !l.startsWith('| --- |'))
      .sort()
      .join('\n');
  const comparable = (rel: string, text: string | undefined) =>
    rel.endsWith('/README.md')
      ? text
          ?.replace(/(## Dependencies\n\n)[\s\S]*?(?=\n## )/, '$1(compared apart)\n')
          .replace(
            /(## Role Variables\n)([\s\S]*?)(?=\n## )/,
            (_, head: string, vars: string) => head + ungrouped(vars),
          )
      : text;
  for (const [rel, bytes] of before)
    expect(comparable(rel, after.get(rel)?.toString('utf8')), rel).toBe(comparable(rel, bytes.toString('utf8')));
});
