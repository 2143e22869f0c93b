// Direct tests of the pieces every emitted file goes through: the YAML writer (YAML 1.1 quoting,
// layout notes), plain() for DSL values, and the module argument check.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkModuleArgs } from '../../compiler/check/args.js';
import { plain, strings } from '../../compiler/values.js';
import { jinja } from '../../dsl/index.js';
import { aptSpec } from '../../dsl/modules/apt.generated.js';
import { copySpec } from '../../dsl/modules/copy.generated.js';
import { annotate, spaced } from '../../lib/yaml-notes.js';
import { toYaml } from '../../lib/yaml-out.js';

describe('the YAML writer', () => {
  it('quotes what YAML 1.1 would read as something else', () => {
    const text = toYaml({ a: 'yes', b: 'on', c: '0644', d: '~', e: '=', f: 'tab\there', g: 'null', h: '1e3' });
    for (const line of [
      'a: "yes"',
      'b: "on"',
      'c: "0644"',
      'd: "~"',
      'e: "="',
      'f: "tab\\there"',
      'g: "null"',
      'h: "1e3"',
    ])
      expect(text).toContain(line);
  });
  it('writes the header comment above the document and wraps long comments at 100 columns', () => {
    const text = toYaml(annotate({ x: 1 }, { keyComments: { x: `${'word '.repeat(30)}end` } }), 'Header line');
    const lines = text.split('\n');
    expect(lines[0]).toBe('# Header line');
    expect(lines[1]).toBe('---');
    expect(lines.filter((l) => l.startsWith('#')).every((l) => l.length <= 102)).toBe(true);
    expect(parse(text)).toEqual({ x: 1 });
  });
  it('puts a blank line between spaced items, and nothing else changes the data', () => {
    const items = spaced([{ name: 'A' }, { name: 'B' }]);
    const text = toYaml(items);
    expect(text).toBe('---\n- name: A\n\n- name: B\n');
    expect(parse(text)).toEqual([{ name: 'A' }, { name: 'B' }]);
    expect(Object.keys(items[1]!)).toEqual(['name']); // the notes are not data
  });
});

describe('plain values', () => {
  it('renders typed references as templates and drops undefined keys, keeping order', () => {
    expect(plain({ b: jinja('x'), a: undefined, c: [jinja('y | default(1)'), 2] })).toEqual({
      b: '{{ x }}',
      c: ['{{ y | default(1) }}', 2],
    });
  });
  it('lists every string with its path', () => {
    expect([...strings({ a: ['x', { b: 'y' }], c: 1 }, '')]).toEqual([
      ['a[0]', 'x'],
      ['a[1].b', 'y'],
    ]);
  });
});

describe('module arguments', () => {
  const problems = (spec: Parameters<typeof checkModuleArgs>[0], args: Record<string, unknown>) => {
    const out: string[] = [];
    checkModuleArgs(spec, args, 'm', (f, m) => out.push(`${f}: ${m}`));
    return out;
  };
  it('refuses an unknown argument, a wrong type and a value outside choices', () => {
    expect(problems(aptSpec, { name: ['x'], state: 'installed', cache_valid_time: 'an hour', colour: 1 })).toEqual([
      expect.stringMatching(
        /^m\.state: expected one of "absent", "build-dep", "latest", "present", "fixed", got "installed"/,
      ),
      expect.stringMatching(/^m\.cache_valid_time: expected an integer, got a string/),
      expect.stringMatching(/^m\.colour: unknown argument/),
    ]);
  });
  it('takes Jinja for any type and an alias for its option', () => {
    expect(problems(aptSpec, { pkg: ['x'], cache_valid_time: '{{ t }}', update_cache: '{{ u }}' })).toEqual([]);
  });
  it('requires what the module requires', () => {
    expect(problems(copySpec, { content: 'x' })).toEqual(['m.dest: missing required argument']);
  });
});
