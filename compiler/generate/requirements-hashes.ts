// Writes the sha256 of every wheel into requirements.txt (the controller's Python environment:
// Ansible, ansible-lint, Molecule), so tools/setup-python.sh installs with --require-hashes. Each
// pinned version keeps its line; its hashes are those of the wheels pip picks on Linux (x86_64 and
// aarch64) and macOS (arm64) for CPython 3.11 to 3.13: one file serves those controllers.
// Bump a version: edit its `name==version` line, then run this (it downloads from PyPI).
// Usage: npm run gen:requirements-hashes
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT, VENV } from '../../lib/python-env.js';

const FILE = path.join(PROJECT_ROOT, 'requirements.txt');
const PLATFORMS: Record<string, string[]> = {
  'linux-x86_64': ['manylinux_2_34_x86_64', 'manylinux_2_28_x86_64', 'manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
  'linux-aarch64': [
    'manylinux_2_34_aarch64',
    'manylinux_2_28_aarch64',
    'manylinux_2_17_aarch64',
    'manylinux2014_aarch64',
  ],
  'macos-arm64': ['macosx_14_0_arm64', 'macosx_11_0_arm64', 'macosx_10_9_universal2', 'macosx_10_12_universal2'],
};
const PYTHONS = ['3.11', '3.12', '3.13'];

/** name==version per requirement, from the file as it is (hash lines and comments dropped). */
const pins = fs
  .readFileSync(FILE, 'utf8')
  .split('\n')
  .map((l) => l.replace(/\\$/, '').trim())
  .filter((l) => /^[A-Za-z0-9._-]+==\S+$/.test(l));

/** A distribution's name as wheel file names spell it (PEP 427: lower case, '_' for '-' and '.'). */
const norm = (name: string) => name.toLowerCase().replace(/[-.]/g, '_');
const pinName = (pin: string) => norm(pin.split('==')[0]!);
const fileName = (file: string) => norm(file.split('-')[0]!);

const pip = (args: string[]) =>
  execa(path.join(VENV, 'bin', 'python'), ['-m', 'pip', '--disable-pip-version-check', '--quiet', ...args], {
    reject: false,
  });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-requirements-'));
try {
  // Wheels every platform shares (pure Python) come with the first download; the rest per platform.
  const first = await pip(['download', '--no-deps', '--only-binary=:all:', '--dest', dir, ...pins]);
  if (first.exitCode !== 0) throw new Error(`pip download failed:\n${first.stderr}`);
  const binary = fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('-none-any.whl'))
    .flatMap((f) => pins.filter((p) => pinName(p) === fileName(f)));
  for (const [platform, tags] of Object.entries(PLATFORMS))
    for (const py of PYTHONS)
      for (const spec of binary) {
        const r = await pip([
          'download',
          '--no-deps',
          '--only-binary=:all:',
          '--python-version',
          py,
          ...tags.flatMap((t) => ['--platform', t]),
          '--dest',
          dir,
          spec,
        ]);
        if (r.exitCode !== 0) process.stderr.write(`no wheel of ${spec} for ${platform} Python ${py}\n`);
      }
  const hashes = new Map<string, string[]>();
  for (const f of fs.readdirSync(dir).sort()) {
    const name = fileName(f);
    const sha = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(dir, f)))
      .digest('hex');
    hashes.set(name, [...(hashes.get(name) ?? []), sha]);
  }
  const lines = pins.map((p) => {
    const h = hashes.get(pinName(p));
    if (!h) throw new Error(`no wheel downloaded for ${p}`);
    return [
      `${p} \\`,
      ...[...new Set(h)].sort().map((x, i, all) => `    --hash=sha256:${x}${i < all.length - 1 ? ' \\' : ''}`),
    ].join('\n');
  });
  fs.writeFileSync(
    FILE,
    [
      "# The controller's Python environment (tools/setup-python.sh installs it with --require-hashes).",
      "# Bump a version on its line, then `npm run gen:requirements-hashes` writes the wheels' sha256.",
      ...lines,
      '',
    ].join('\n'),
  );
  process.stderr.write(`wrote ${pins.length} pinned requirements with ${[...hashes.values()].flat().length} hashes\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
