// Generates compiler/reserved-names.generated.json: the names Ansible reserves for its own
// keywords (ansible.vars.reserved.get_reserved_names() of the project's ansible-core), and the
// fact variables its setup module injects (ansible_hostname...; gathered on the controller, without
// the per-interface ones, whose names depend on the machine).
// Usage: npm run gen:reserved-names
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT, VENV } from '../../lib/python-env.js';

const code =
  'import json; from ansible.vars.reserved import get_reserved_names; from ansible.release import __version__ as v; ' +
  'print(json.dumps({"ansible_core": v, "names": sorted(get_reserved_names())}))';
const r = await execa(path.join(VENV, 'bin', 'python'), ['-c', code]);
const data = JSON.parse(r.stdout) as { ansible_core: string; names: string[] };

const setup = await execa(
  path.join(VENV, 'bin', 'ansible'),
  ['localhost', '-c', 'local', '-m', 'ansible.builtin.setup', '-o'],
  {
    env: { ANSIBLE_LOAD_CALLBACK_PLUGINS: '0' },
  },
);
const gathered = (JSON.parse(setup.stdout.replace(/^[^{]*/, '')) as { ansible_facts: Record<string, unknown> })
  .ansible_facts;
const interfaces = new Set(
  ((gathered.ansible_interfaces as string[] | undefined) ?? []).map((i) => `ansible_${i.replace(/[-.:]/g, '_')}`),
);
const facts = Object.keys(gathered)
  .filter((k) => k.startsWith('ansible_') && !interfaces.has(k))
  .sort();

const file = path.join(PROJECT_ROOT, 'compiler', 'reserved-names.generated.json');
fs.writeFileSync(
  file,
  JSON.stringify({ generatedBy: 'compiler/generate/reserved-names.ts', ...data, facts }, null, 2) + '\n',
);
process.stderr.write(
  `wrote ${data.names.length} reserved names and ${facts.length} fact names of ansible-core ${data.ansible_core} to ${path.relative(process.cwd(), file)}\n`,
);
