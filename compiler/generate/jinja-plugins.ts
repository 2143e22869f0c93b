// Generates compiler/jinja-plugins.generated.json: the filter, test and lookup plugins that the
// project's ansible-core ships (ansible.builtin.*), as its plugin loader lists them. The build's
// Jinja check knows these names without importing Ansible's plugins (a third of a second of every
// build); a name not among them, or another ansible-core, loads Ansible's plugins as before.
// Usage: npm run gen:jinja-plugins [-- <file>]   (another file than the committed one: for a test)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT, VENV } from '../../lib/python-env.js';

const code = `
import json
from ansible.release import __version__
from ansible.plugins.loader import filter_loader, test_loader, lookup_loader, init_plugin_loader
init_plugin_loader()
out = {'ansible_core': __version__}
for kind, loader in (('filter', filter_loader), ('test', test_loader), ('lookup', lookup_loader)):
    names = {getattr(p, 'ansible_name', None) or p._load_name for p in loader.all()}
    out[kind] = sorted(n for n in names if n.startswith('ansible.builtin.'))
print(json.dumps(out))
`;
// Ansible's own plugins only: no ansible.cfg of a working folder, no ANSIBLE_* plugin paths.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANSIBLE_')));
const r = await execa(path.join(VENV, 'bin', 'python'), ['-c', code], { cwd: os.tmpdir(), env, extendEnv: false });
const data = JSON.parse(r.stdout) as { ansible_core: string; filter: string[]; test: string[]; lookup: string[] };

const file = process.argv[2] ?? path.join(PROJECT_ROOT, 'compiler', 'jinja-plugins.generated.json');
fs.writeFileSync(file, JSON.stringify({ generatedBy: 'compiler/generate/jinja-plugins.ts', ...data }, null, 2) + '\n');
process.stderr.write(
  `wrote ${data.filter.length} filters, ${data.test.length} tests and ${data.lookup.length} lookups of ansible-core ${data.ansible_core} to ${path.relative(process.cwd(), file)}\n`,
);
