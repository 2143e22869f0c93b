// Names the inventory defines (delegate_to, groups[...], hostvars[...]) and keys a variable
// declares (a template's or looping task's read of a dict field), checked with the Jinja parser
// Ansible uses (.venv) as the build does.
import { describe, expect, it } from 'vitest';
import { delegateProblem, delegateTargets } from '../../compiler/check/hosts.js';
import { JinjaChecker, jinjaTexts, type VarShape } from '../../compiler/check/jinja-syntax.js';

const NAMES = new Set(['all', 'ungrouped', 'localhost', 'pg', 'pg01', 'pg02', 'ns']);
const GROUPS = new Set(['all', 'ungrouped', 'pg']);
const SHAPES = new Map<string, VarShape>([
  ['fx_peers', { keys: ['host', 'port'], element: true }],
  ['fx_limits', { keys: ['rate'], element: false }],
]);

const check = async (doc: unknown) =>
  (await new JinjaChecker().check(jinjaTexts(doc, 'roles-src/fx/role.ts', 'tasks'), NAMES, SHAPES)).map(
    (p) => `${p.field}: ${p.message}`,
  );
const template = async (text: string) =>
  (
    await new JinjaChecker().check(
      [{ source: 'roles-src/fx/templates/fx.j2', field: 'template', text, expression: false }],
      NAMES,
      SHAPES,
    )
  ).map((p) => `${p.line ?? '?'}: ${p.message}`);

describe('delegate_to names a host an inventory defines', () => {
  it('finds literal targets in tasks, blocks and plays, Jinja left to the host', () => {
    const doc = [
      { name: 'A', debug: {}, delegate_to: 'pg09' },
      { name: 'B', block: [{ name: 'C', debug: {}, delegate_to: 'localhost' }] },
      { name: 'D', debug: {}, delegate_to: "{{ groups['pg'][0] }}" },
    ];
    expect(delegateTargets(doc, 'tasks')).toEqual([
      { field: "tasks[0] 'A'.delegate_to", name: 'pg09' },
      { field: "tasks[1] 'B'.block[0] 'C'.delegate_to", name: 'localhost' },
    ]);
  });
  it('refuses an unknown host with the nearest host (not a group), and a group, which is no host', () => {
    expect(delegateProblem('pg09', NAMES, GROUPS)).toMatch(/'pg09', which no inventory defines; did you mean 'pg01'\?/);
    expect(delegateProblem('pg', NAMES, GROUPS)).toMatch(/names the group 'pg': delegation takes one host/);
    expect(delegateProblem('localhost', NAMES, GROUPS)).toBeUndefined();
    expect(delegateProblem('ns', NAMES, GROUPS)).toBeUndefined();
    // An address is a host of its own to Ansible.
    expect(delegateProblem('192.0.2.7', NAMES, GROUPS)).toBeUndefined();
  });
});

describe("reads of a variable's declared keys", () => {
  it('refuses a misspelt key of a dict, of a template loop item, of a task item; with the line in a template', async () => {
    expect(await template('a\n{{ fx_limits.rat }}\n')).toEqual([
      expect.stringMatching(/^2: reads key 'rat' of fx_limits, whose declared keys are rate; did you mean 'rate'\?/),
    ]);
    expect(await template("{% for p in fx_peers %}\n{{ p['hots'] }}\n{% endfor %}")).toEqual([
      expect.stringMatching(/^2: reads key 'hots' of an item of fx_peers, whose declared keys are host, port/),
    ]);
    expect(await check([{ name: 'Loop', debug: { msg: '{{ item.prot }}' }, loop: '{{ fx_peers }}' }])).toEqual([
      expect.stringMatching(
        /^tasks\[0\] 'Loop'\.debug\.msg: reads key 'prot' of an item of fx_peers.*did you mean 'port'/,
      ),
    ]);
    expect(
      await check([
        {
          name: 'Named',
          debug: { msg: '{{ peer.hots }}' },
          loop: '{{ fx_peers }}',
          loop_control: { loop_var: 'peer' },
        },
      ]),
    ).toHaveLength(1);
  });
  it('takes declared keys, method calls, guarded reads, other variables and items of other loops', async () => {
    expect(
      await template(
        '{{ fx_limits.rate }} {{ fx_limits.items() | list }} {{ fx_limits.burst | default(1) }}\n' +
          '{% if fx_limits.burst is defined %}x{% endif %}{{ other.anything }}\n' +
          '{% for p in fx_peers %}{{ p.host }}:{{ p.port }}{% endfor %}{% for p in other %}{{ p.x }}{% endfor %}',
      ),
    ).toEqual([]);
    expect(await check([{ name: 'Loop', debug: { msg: '{{ item.x }}' }, loop: '{{ other }}' }])).toEqual([]);
    // The loop keyword's own text is no item read; a task without a loop reads no item.
    expect(await check([{ name: 'Plain', debug: { msg: '{{ item.x }}' } }])).toEqual([]);
  });
});
