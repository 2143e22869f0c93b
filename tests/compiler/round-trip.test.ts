// Strings with YAML- and Jinja-significant characters survive the trip: what Ansible's own YAML
// loader reads from out/ equals what the TypeScript source says.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { compile, scratchProject, venvBin } from '../helpers/project.js';

const TRICKY = [
  'key: value # not a comment',
  'it\'s "quoted"',
  '{ not: a mapping }',
  '{{ "%" }} and {% raw %}{{ x }}{% endraw %}',
  '100% sure',
  'line one\nline two: still text\n  indented # too\n',
  'yes',
  'no',
  'on',
  '0644',
  '1_000',
  '2024-01-01',
  '~',
  '=',
  '- dash',
  '? q',
  '@at',
  '`tick`',
  '!tag',
  '&anchor',
  '*alias',
  ' leading and trailing ',
  'tab\there',
  '',
  'trailing space \nthen more  \n',
];

it('tricky strings in defaults and task arguments read back unchanged by Ansible', async () => {
  const dir = scratchProject();
  fs.mkdirSync(path.join(dir, 'roles-src/tricky'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'roles-src/tricky/role.ts'),
    `
import { debug, defineRole, list, str, task } from '../../dsl/index.js';
const TRICKY: string[] = ${JSON.stringify(TRICKY)};
export default defineRole({
  name: 'tricky',
  description: 'Round-trip fixture',
  vars: {
    tricky_one: str({ default: ${JSON.stringify(TRICKY[5])}, description: 'multi-line' }),
    tricky_all: list({ elements: 'str', default: TRICKY, description: 'all of them' }),
  },
  // The condition reads the variables: the build refuses a declared variable nothing reads.
  tasks: () => TRICKY.map((s, i) => task('Show ' + i, debug({ msg: s }), { when: 'tricky_one is string and tricky_all | length > 0' })),
});
`,
  );
  const r = await compile(dir);
  expect(r.code, r.stderr).toBe(0);
  const read = async (rel: string) => {
    const py =
      'import json,sys\nfrom ansible.parsing.utils.yaml import from_yaml\nprint(json.dumps(from_yaml(open(sys.argv[1]).read())))';
    const { stdout } = await execa(venvBin('python'), ['-c', py, path.join(dir, 'out', rel)]);
    return JSON.parse(stdout) as unknown;
  };
  const defaults = (await read('roles/tricky/defaults/main.yml')) as Record<string, unknown>;
  expect(defaults.tricky_one).toBe(TRICKY[5]);
  expect(defaults.tricky_all).toEqual(TRICKY);
  const tasks = (await read('roles/tricky/tasks/main.yml')) as { 'ansible.builtin.debug': { msg: string } }[];
  expect(tasks.map((t) => t['ansible.builtin.debug'].msg)).toEqual(TRICKY);
  const specs = (await read('roles/tricky/meta/argument_specs.yml')) as {
    argument_specs: { main: { options: { tricky_all: { default: unknown } } } };
  };
  expect(specs.argument_specs.main.options.tricky_all.default).toEqual(TRICKY);
  // ansible-lint's yaml[trailing-spaces]: no emitted line ends in a space, whatever the strings hold.
  for (const rel of [
    'roles/tricky/defaults/main.yml',
    'roles/tricky/tasks/main.yml',
    'roles/tricky/meta/argument_specs.yml',
  ]) {
    expect(fs.readFileSync(path.join(dir, 'out', rel), 'utf8'), rel).not.toMatch(/ +$/m);
  }
});
