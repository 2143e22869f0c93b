// The DSL's second round of mistakes that used to reach hosts, one class per block: facts read in
// a play that gathers none, comparisons that can never be true, dict variables with a key schema,
// secrets of any type, work nothing runs, and messages that name the right field with a hint.
import { describe, expect, it } from 'vitest';
import { checkFactsGathered, factUse } from '../../compiler/check/facts.js';
import { checkComposition } from '../../compiler/check/composition.js';
import { checkRoleOrder } from '../../compiler/check/role-order.js';
import { checkComparisons, comparisonProblems } from '../../compiler/check/tasks.js';
import { checkOptions } from '../../compiler/check/args.js';
import { varOptionSpecs } from '../../compiler/render/role.js';
import { undeclaredMessage } from '../../compiler/jinja-refs.js';
import { Problems } from '../../compiler/errors.js';
import { locateProblems } from '../../compiler/locate-problems.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JinjaText } from '../../compiler/check/jinja-syntax.js';
import {
  cond,
  debug,
  defineRole,
  dict,
  int,
  jinja,
  list,
  playbook,
  setup,
  str,
  task,
  type Inventory,
  type Play,
} from '../../dsl/index.js';

describe('facts read in a play that gathers none', () => {
  const web = defineRole({ name: 'web', description: 'Web', vars: {}, tasks: () => [] });
  const inventory: Inventory = {
    name: 'lab',
    vars: {},
    groups: { web: { hosts: { w1: {} } }, db: { hosts: { d1: {} } } },
  } as unknown as Inventory;
  const template: JinjaText = {
    source: 'roles-src/web/templates/site.j2',
    field: 'template',
    text: 'host {{ ansible_facts.hostname }}',
    expression: false,
  };
  const run = (plays: Play[], roleText = template, roleGathers = false) => {
    const problems = new Problems();
    checkFactsGathered(
      [{ playbook: playbook({ name: 'web', description: 'Web', plays: plays }), file: 'playbooks/web.ts' }],
      {
        cfg: {},
        texts: [],
        inventories: [inventory],
        roles: new Map([['web', { use: factUse([roleText], roleGathers), dependencies: [] }]]),
      },
      problems,
    );
    return problems.list.map((p) => `${p.field}: ${p.message}`);
  };
  const play = (o: Partial<Play>): Play => ({ name: 'Web', hosts: 'web', roles: [web.use({})], ...o });

  it('refuses the play, naming the file that reads the fact', () => {
    expect(run([play({ gather_facts: false })])).toEqual([
      expect.stringMatching(
        /^plays\[0\] 'Web'\.gather_facts: .*roles-src\/web\/templates\/site\.j2 reads 'ansible_facts'/,
      ),
    ]);
  });

  it('accepts facts gathered by an earlier play on the same hosts, by the role itself, or read with a default', () => {
    expect(run([{ name: 'Gather', hosts: 'all' }, play({ gather_facts: false })])).toEqual([]);
    expect(run([play({ gather_facts: false })], template, true)).toEqual([]);
    expect(
      run([play({ gather_facts: false })], { ...template, text: "{{ ansible_hostname | default('x') }}" }),
    ).toEqual([]);
  });

  it('refuses when the earlier play gathered on other hosts only', () => {
    expect(run([{ name: 'Gather db', hosts: 'db' }, play({ gather_facts: false })])).toHaveLength(1);
  });

  it('reads exclusions and intersections in host patterns as the inventory check does', () => {
    // all:!db is web's hosts: gathered by the first play.
    expect(run([{ name: 'Gather web', hosts: 'web' }, play({ hosts: 'all:!db', gather_facts: false })])).toEqual([]);
    // all:!web is db's hosts: not gathered.
    expect(run([{ name: 'Gather web', hosts: 'web' }, play({ hosts: 'all:!web', gather_facts: false })])).toHaveLength(
      1,
    );
  });

  it("reads the play's own tasks, and a setup task in them counts as gathering", () => {
    const say = task('Say', debug({ msg: '{{ ansible_hostname }}' }));
    const problems = new Problems();
    const own = (tasks: Play['tasks']) => {
      checkFactsGathered(
        [
          {
            playbook: playbook({
              name: 'p',
              description: 'P',
              plays: [{ name: 'P', hosts: 'web', gather_facts: false, tasks }],
            }),
            file: 'p.ts',
          },
        ],
        {
          cfg: {},
          texts: [
            {
              source: 'p.ts',
              field: "plays[0] 'P'.tasks[0] 'Say'.ansible.builtin.debug.msg",
              text: '{{ ansible_hostname }}',
              expression: false,
            },
          ],
          inventories: [inventory],
          roles: new Map(),
        },
        problems,
      );
    };
    own([say]);
    expect(problems.list).toHaveLength(1);
    own([task('Gather', setup({ gather_subset: ['min'] })), say]);
    expect(problems.list).toHaveLength(1);
  });
});

describe('comparisons that can never be true', () => {
  const types = new Map([
    ['web_port', 'int'],
    ['web_tls', 'bool'],
    ['web_mode', 'str'],
  ]);
  it('refuses an int or bool variable compared with a string, a string with a number', () => {
    expect(comparisonProblems("web_port == '80'", types)[0]).toMatch(/write web_port == 80$/);
    expect(comparisonProblems("'80' != web_port", types)).toHaveLength(1);
    expect(comparisonProblems("web_tls == 'yes'", types)).toHaveLength(1);
    expect(comparisonProblems('web_mode == 1', types)[0]).toMatch(/write web_mode == '1'$/);
  });
  it('accepts matching types, converted sides and other names', () => {
    for (const ok of ['web_port == 80', "web_port | string == '80'", "web_mode == 'a'", "other_port == '1'"])
      expect(comparisonProblems(ok, types)).toEqual([]);
  });
  it('reports a typed condition on the task at fault', () => {
    const out: string[] = [];
    checkComparisons(
      [task('Open', debug({ msg: 'x' }), { when: cond`${jinja('web_port')} == ${'80'}` })],
      types,
      'tasks',
      (f) => out.push(f),
    );
    expect(out).toEqual(["tasks[0] 'Open'.when"]);
  });
});

describe('dict variables with a key schema', () => {
  const vars = {
    web_sites: list({
      elements: 'dict',
      options: { name: str({ required: true, description: 'Name' }), port: int({ default: 80, description: 'Port' }) },
      default: [],
      description: 'Sites',
    }),
    web_tls: dict({ options: { cert: str({ description: 'Cert' }) }, description: 'TLS' }),
    web_keys: dict({ secret: true, default: {}, description: 'Keys' }),
  };
  const check = (value: Record<string, unknown>) => {
    const out: string[] = [];
    checkOptions(varOptionSpecs(vars), value, 'vars', (f, m) => out.push(`${f}: ${m}`));
    return out;
  };
  it('refuses a misspelt key, a wrong type and a missing required key, with the nearest name', () => {
    expect(check({ web_sites: [{ nmae: 'a', port: '80' }], web_tls: { crt: 'x' } })).toEqual([
      "vars.web_sites[0].nmae: unknown argument; did you mean 'name'? (expected one of name, port)",
      'vars.web_sites[0].port: expected an integer, got a string ("80")',
      'vars.web_sites[0].name: missing required argument',
      "vars.web_tls.crt: unknown argument; did you mean 'cert'? (expected one of cert)",
    ]);
  });
  it('accepts what the schema allows, and secrets of any type', () => {
    expect(check({ web_sites: [{ name: 'a' }], web_tls: { cert: 'x' }, web_keys: { a: 'b' } })).toEqual([]);
    expect(vars.web_keys.secret).toBe(true);
  });
});

describe('messages', () => {
  it("a path of keys points at the right host's line, not the first one's", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-locate-'));
    fs.mkdirSync(path.join(dir, 'inventories'));
    fs.writeFileSync(
      path.join(dir, 'inventories/prod.ts'),
      "inventory('prod', {\n  groups: {\n    pg: {\n      hosts: {\n        db1: { ansible_host: '10.0.0.11' },\n        db2: { ansible_host: '10.0.9.12' },\n      },\n    },\n  },\n});\n",
    );
    const [p] = locateProblems(dir, [
      { file: 'inventories/prod.ts', field: 'groups.pg.hosts.db2.ansible_host', message: 'outside' },
    ]);
    expect(p?.line).toBe(6);
  });

  it('a task a helper module builds is found in the module the playbook imports', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgha-locate-'));
    fs.mkdirSync(path.join(dir, 'playbooks'));
    fs.mkdirSync(path.join(dir, 'roles-src'));
    fs.writeFileSync(
      path.join(dir, 'playbooks/site.ts'),
      "import { packagePath } from '../roles-src/packages.js';\nexport default playbook('site', [play({ name: 'Read', tasks: packagePath() })]);\n",
    );
    fs.writeFileSync(
      path.join(dir, 'roles-src/packages.ts'),
      "export const packagePath = () => [\n  task('Read the package sources', shell({ cmd: 'x' }), {\n    register: 'r',\n  }),\n];\n",
    );
    const [p] = locateProblems(dir, [
      {
        file: 'playbooks/site.ts',
        field: "plays[0] 'Read'.tasks[0] 'Read the package sources'.register",
        message: 'm',
      },
    ]);
    expect([p?.file, p?.line, p?.col]).toEqual(['roles-src/packages.ts', 3, 5]);
  });

  it('an undeclared variable names the nearest declared one, briefly', () => {
    const m = undeclaredMessage('web_prot', ['web_port', 'web_mode'], "in role 'web'");
    expect(m).toBe("reads undeclared variable 'web_prot'; did you mean 'web_port'? (else declare it in role 'web')");
    expect(undeclaredMessage('zzz', ['web_port'], "in role 'web'").length).toBeLessThan(250);
  });
});

describe('work nothing runs', () => {
  const emitted = (extra: Record<string, unknown> = {}) =>
    new Map<string, unknown>(
      Object.entries({
        'roles/web/tasks/main.yml': [
          { name: 'Configure', 'ansible.builtin.template': { src: 'a', dest: 'b' }, notify: 'Reload web' },
          { name: 'Install', 'ansible.builtin.include_tasks': { file: 'install.yml' } },
        ],
        ...extra,
      }),
    );
  const role = {
    name: 'web',
    file: 'roles-src/web/role.ts',
    handlers: [{ name: 'Reload web' }, { name: 'Restart web', listen: 'web restart' }],
    taskFiles: ['install', 'tls'],
  };
  const run = (m: Map<string, unknown>) => {
    const problems = new Problems();
    checkComposition(m, [role], problems);
    return problems.list.map((p) => p.field);
  };

  it('refuses a handler nothing notifies and a task file nothing includes', () => {
    expect(run(emitted())).toEqual(["handlers[1] 'Restart web'", 'taskFiles.tls']);
  });

  it('accepts a listen topic or a qualified name notified from a play, and tasks_from from another role', () => {
    expect(
      run(
        emitted({
          'site.yml': [
            {
              hosts: 'all',
              tasks: [
                { name: 'Bounce', 'ansible.builtin.command': 'true', notify: ['web restart'] },
                { name: 'TLS', 'ansible.builtin.include_role': { name: 'acme.web.web', tasks_from: 'tls.yml' } },
              ],
            },
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe('roles run before the roles that need them', () => {
  const ca = defineRole({ name: 'ca', description: 'CA', vars: {}, tasks: () => [] });
  const web = defineRole({
    name: 'web',
    description: 'Web',
    vars: {},
    needs: [{ role: ca, provides: 'the certificates' }],
    tasks: () => [],
  });
  const order = (plays: Play[]) => {
    const problems = new Problems();
    checkRoleOrder(
      [{ playbook: playbook({ name: 'site', description: 'Site', plays: plays }), file: 'playbooks/site.ts' }],
      problems,
    );
    return problems.list.map((p) => `${p.field}: ${p.message}`);
  };
  it('refuses a playbook that runs the needed role only after', () => {
    expect(
      order([
        { name: 'Web', hosts: 'all', roles: [web.use({})] },
        { name: 'CA', hosts: 'all', roles: [ca.use({})] },
      ]),
    ).toEqual([
      "plays[0] 'Web'.roles[0] 'web': role 'web' relies on 'ca' (the certificates), which this playbook runs only later (plays[1] 'CA'.roles[0]): run it first",
    ]);
  });
  it('accepts it first, earlier in the same play, or not at all in this playbook', () => {
    expect(order([{ name: 'Both', hosts: 'all', roles: [ca.use({}), web.use({})] }])).toEqual([]);
    expect(order([{ name: 'Web', hosts: 'all', roles: [web.use({})] }])).toEqual([]);
  });
});
