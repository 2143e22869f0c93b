// Jinja syntax, checked by Jinja itself (the Jinja2 that Ansible uses, from .venv): every
// templated string and .j2 template the build emits is parsed, conditions as expressions. A
// `'{{ x }'` or an unclosed `{% if %}` is refused at build time instead of on a host.
import path from 'node:path';
import { execa } from 'execa';
import { CONDITION_KEYS } from './jinja-refs.js';
import { VENV } from '../lib/python-env.js';

export interface JinjaText {
  source: string;
  field: string;
  text: string;
  expression: boolean;
}
export interface JinjaProblem {
  source: string;
  field: string;
  message: string;
}

const JINJA = /\{\{|\{%|\{#/;

/** Strings in an emitted YAML document that Ansible will template, conditions marked as such. */
export function jinjaTexts(doc: unknown, source: string, prefix = ''): JinjaText[] {
  const out: JinjaText[] = [];
  const visit = (v: unknown, at: string, expression: boolean): void => {
    if (typeof v === 'string') {
      if (expression || JINJA.test(v)) out.push({ source, field: at, text: v, expression });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        const name =
          x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string'
            ? ` '${(x as { name: string }).name}'`
            : '';
        visit(x, `${at}[${i}]${name}`, expression);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v))
        visit(x, at ? `${at}.${k}` : k, CONDITION_KEYS.has(k) && typeof x !== 'boolean');
    }
  };
  visit(doc, prefix, false);
  return out;
}

// Ansible's template environment enables these extensions; parsing only needs the syntax they add.
const PARSER = `
import json, sys
from jinja2 import Environment, TemplateSyntaxError
env = Environment(extensions=['jinja2.ext.loopcontrols', 'jinja2.ext.do'])
out = []
for i, item in enumerate(json.load(sys.stdin)):
    text = '{{ (' + item['text'] + ') }}' if item['expression'] else item['text']
    try:
        env.parse(text)
    except TemplateSyntaxError as e:
        out.append({'index': i, 'message': e.message, 'line': e.lineno})
print(json.dumps(out))
`;

/** Emitted files whose strings Ansible templates (argument specs and Molecule's own files only repeat them). */
export const TEMPLATED_YAML =
  /^(roles\/[^/]+\/(tasks|handlers|defaults|vars)\/[^/]+\.yml|[^/]+\.yml|molecule\/[^/]+\/(converge|verify|create|destroy)\.yml)$/;

/**
 * Jinja's parser in a Python process, started before the texts exist so that its start-up (Python
 * and jinja2 imports) overlaps the type check. `check` sends the texts; `dispose` ends an unused one.
 */
export class JinjaChecker {
  private readonly proc = execa(path.join(VENV, 'bin', 'python'), ['-c', PARSER], { reject: false, stdin: 'pipe' });
  private sent = false;

  /** Parses every text; a text repeated in several emitted files (Molecule copies plays) is reported once. */
  async check(all: readonly JinjaText[]): Promise<JinjaProblem[]> {
    const seen = new Set<string>();
    const texts = all.filter((t) => {
      const key = `${t.expression}:${t.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    this.sent = true;
    this.proc.stdin?.end(JSON.stringify(texts));
    return problemsFrom(await this.proc, texts);
  }

  async dispose(): Promise<void> {
    if (this.sent) return;
    this.sent = true;
    this.proc.stdin?.end('[]');
    await this.proc;
  }
}

function problemsFrom(r: { exitCode?: number; stderr: string; stdout: string }, texts: JinjaText[]): JinjaProblem[] {
  if (r.exitCode !== 0) {
    return [
      {
        source: 'compiler',
        field: 'jinja',
        message: `cannot run Jinja from ${VENV} to check template syntax (run 'npm run setup'): ${r.stderr.trim().split('\n').pop()}`,
      },
    ];
  }
  return (JSON.parse(r.stdout) as { index: number; message: string; line: number }[]).map(
    ({ index, message, line }) => {
      const t = texts[index]!;
      const where = t.text.includes('\n') ? ` (line ${line} of the text)` : '';
      return {
        source: t.source,
        field: t.field,
        message: t.expression
          ? `Jinja syntax error in the condition "${t.text}": ${message}. A condition is one expression, e.g. x == 'y'`
          : `Jinja syntax error${where}: ${message}; in ${JSON.stringify(t.text.length > 120 ? `${t.text.slice(0, 117)}...` : t.text)}`,
      };
    },
  );
}
