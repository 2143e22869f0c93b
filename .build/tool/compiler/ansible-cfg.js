// Reads the project's ansible.cfg (one source for the stand's SSH settings) so Molecule
// scenarios can carry the same options.
import fs from 'node:fs';
/** INI values typed as Ansible reads them: integers and booleans become numbers and booleans. */
function typed(v) {
    if (/^\d+$/.test(v))
        return Number(v);
    if (/^(true|false)$/i.test(v))
        return v.toLowerCase() === 'true';
    return v;
}
export function readAnsibleCfg(file) {
    const out = {};
    let section;
    for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#') || line.startsWith(';'))
            continue;
        const s = /^\[(.+)\]$/.exec(line);
        if (s) {
            section = out[s[1]] = {};
            continue;
        }
        const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
        if (kv && section)
            section[kv[1]] = typed(kv[2]);
    }
    return out;
}
