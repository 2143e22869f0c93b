// The Jinja scanner that backs the undeclared-variable check.
import { describe, expect, it } from 'vitest';
import { scanExpression, scanTemplate } from '../../compiler/jinja-refs.js';

const reads = (t: string) => [...scanTemplate(t).reads].sort();

describe('jinja references', () => {
  it('finds roots, not attributes, filters, tests or keyword arguments', () => {
    expect(
      reads("{{ a.b | default(c, true) | map(attribute='x') }} {{ d is defined and e is not none }} {{ f(g=h) }}"),
    ).toEqual(['a', 'c', 'd', 'e', 'f', 'h']);
  });
  it('ignores strings and names bound by for and set', () => {
    const s = scanTemplate(
      "{% for h in hosts | sort %}{{ h }} {{ 'literal' }} {{ loop.index }}{% endfor %}{% set x = y %}{{ x }}",
    );
    expect([...s.reads].filter((n) => !s.binds.has(n)).sort()).toEqual(['hosts', 'y']);
  });
  it('reads bare conditions', () => {
    expect([...scanExpression("mode == 'server' and result.rc == 0").reads].sort()).toEqual(['mode', 'result']);
  });
  it('skips raw blocks and comments', () => {
    expect(reads('{% raw %}{{ nope }}{% endraw %}{# {{ nor }} #}{{ yes_ }}')).toEqual(['yes_']);
  });
});
