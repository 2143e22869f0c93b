// Reads the project's ansible.cfg (one source for the stand's SSH settings) so Molecule
// scenarios can carry the same options, and writes out/ansible.cfg from it so out/ works on its own.
import fs from 'node:fs';

export type CfgValue = string | number | boolean;

/** INI values typed as Ansible reads them: integers and booleans become numbers and booleans. */
function typed(v: string): CfgValue {
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return v;
}

export function readAnsibleCfg(file: string): Record<string, Record<string, CfgValue>> {
  const out: Record<string, Record<string, CfgValue>> = {};
  let section: Record<string, CfgValue> | undefined;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = out[s[1]!] = {};
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && section) section[kv[1]!] = typed(kv[2]!);
  }
  return out;
}

/**
 * out/ansible.cfg: the project's settings with the inventory and roles paths relative to out/
 * (Ansible resolves them from the file's folder), so `cd out && ansible-playbook site.yml` and
 * `cd out && ansible-lint` work with no environment.
 */
export function outAnsibleCfg(cfg: Record<string, Record<string, CfgValue>>, header: string): string {
  const sections = { ...cfg, defaults: { ...cfg.defaults, inventory: 'inventory/local.yml', roles_path: 'roles' } };
  const lines = [`# ${header}`];
  for (const [name, values] of Object.entries(sections) as [string, Record<string, CfgValue>][]) {
    lines.push(
      '',
      `[${name}]`,
      ...Object.entries(values).map(([k, v]) => `${k} = ${v === true ? 'True' : v === false ? 'False' : String(v)}`),
    );
  }
  return lines.join('\n') + '\n';
}
