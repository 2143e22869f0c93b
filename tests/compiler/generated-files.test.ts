// Generated files that the build reads stay those of the installed toolchain: regenerated into a
// scratch folder, each is the committed one. (A stale plugin list is not wrong, the Jinja check
// then loads Ansible's plugins, but every build pays a third of a second for it.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/project.js';

describe('generated files', () => {
  it("compiler/jinja-plugins.generated.json lists the installed ansible-core's plugins", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-gen-'));
    const file = path.join(dir, 'jinja-plugins.json');
    await execa('npx', ['tsx', 'compiler/generate/jinja-plugins.ts', file], { cwd: ROOT });
    const regenerated = fs.readFileSync(file, 'utf8');
    fs.rmSync(dir, { recursive: true, force: true });
    // Otherwise: npm run gen:jinja-plugins, and commit the file.
    expect(regenerated).toBe(fs.readFileSync(path.join(ROOT, 'compiler', 'jinja-plugins.generated.json'), 'utf8'));
  });
});
