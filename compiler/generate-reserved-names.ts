// Generates compiler/reserved-names.generated.json: the names Ansible reserves for its own
// keywords (ansible.vars.reserved.get_reserved_names() of the project's ansible-core).
// Usage: npm run gen:reserved-names
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT, VENV } from '../lib/python-env.js';

const code =
  'import json; from ansible.vars.reserved import get_reserved_names; from ansible.release import __version__ as v; ' +
  'print(json.dumps({"ansible_core": v, "names": sorted(get_reserved_names())}))';
const r = await execa(path.join(VENV, 'bin', 'python'), ['-c', code]);
const data = JSON.parse(r.stdout) as { ansible_core: string; names: string[] };
const file = path.join(PROJECT_ROOT, 'compiler', 'reserved-names.generated.json');
fs.writeFileSync(file, JSON.stringify({ generatedBy: 'compiler/generate-reserved-names.ts', ...data }, null, 2) + '\n');
process.stderr.write(
  `wrote ${data.names.length} reserved names of ansible-core ${data.ansible_core} to ${path.relative(process.cwd(), file)}\n`,
);
