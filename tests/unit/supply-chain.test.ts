// What the project installs is pinned with hashes: the controller's requirements.txt, and the
// wheels the patroni role sends to the hosts (the wheels built from source among them).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import patroni from '../../roles-src/patroni/role.js';
import { ROOT } from '../helpers/project.js';

/** `name==version` -> its sha256 hashes, from a requirements file with --hash options. */
function pins(file: string): Map<string, string[]> {
  const text = fs.readFileSync(file, 'utf8').replace(/\\\n\s*/g, ' ');
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [pin, ...rest] = line.trim().split(/\s+/);
    out.set(
      pin!,
      rest.map((o) => /^--hash=sha256:([0-9a-f]{64})$/.exec(o)?.[1] ?? `not a hash: ${o}`),
    );
  }
  return out;
}

describe('supply chain', () => {
  it("requirements.txt pins every package to one version, each with its wheels' sha256", () => {
    const all = pins(path.join(ROOT, 'requirements.txt'));
    expect(all.size).toBeGreaterThan(30);
    for (const [pin, hashes] of all) {
      expect(pin).toMatch(/^[A-Za-z0-9._-]+==[^=\s]+$/);
      expect(hashes.length, pin).toBeGreaterThan(0);
      for (const h of hashes) expect(h, pin).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("the Patroni wheel list pins the role's patroni_version, and the wheels built from source match their pins", () => {
    const files = path.join(ROOT, 'roles-src/patroni/files');
    const all = pins(path.join(files, 'patroni-requirements.txt'));
    expect(all.has(`patroni==${String(patroni.definition.vars.patroni_version.default)}`)).toBe(true);
    for (const [pin, hashes] of all) expect(hashes, pin).toHaveLength(1);
    const built = fs.readdirSync(path.join(files, 'wheels'));
    expect(built.length).toBeGreaterThan(0);
    for (const w of built) {
      const [name, version] = w.split('-');
      const sha = crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(files, 'wheels', w)))
        .digest('hex');
      expect(all.get(`${name!.replace(/_/g, '-')}==${version!}`)).toEqual([sha]);
    }
  });
});
