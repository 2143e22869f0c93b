// Finds the variables a Jinja text reads, so the compiler can check each against what is declared.
// A tokenizer, not a full parser: it knows strings, attribute access, filters, tests, keyword
// arguments and the names that {% for %}, {% set %} and {% macro %} bind.
import { closest } from '../dsl/closest.js';

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'elif',
  'endif',
  'for',
  'endfor',
  'set',
  'endset',
  'macro',
  'endmacro',
  'call',
  'endcall',
  'filter',
  'endfilter',
  'block',
  'endblock',
  'with',
  'endwith',
  'raw',
  'endraw',
  'include',
  'import',
  'from',
  'as',
  'recursive',
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  'extends',
  'without',
  'context',
  'ignore',
  'missing',
]);

const TOKEN =
  /\s+|('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|\*\*|\/\/|[-+*/%~<>=|.,:()[\]{}!])/y;

interface Token {
  kind: 'str' | 'num' | 'name' | 'op';
  text: string;
}

function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(expr);
    if (!m) {
      TOKEN.lastIndex = start + 1;
      continue;
    }
    if (m[1]) out.push({ kind: 'str', text: m[1] });
    else if (m[2]) out.push({ kind: 'num', text: m[2] });
    else if (m[3]) out.push({ kind: 'name', text: m[3] });
    else if (m[4]) out.push({ kind: 'op', text: m[4] });
  }
  return out;
}

export interface JinjaScan {
  /** Names read from the context. */
  reads: Set<string>;
  /** Names the text binds itself (for/set/macro). */
  binds: Set<string>;
  /** Names read under a guard (`x is defined`, `x | default(...)`): undeclared is not a mistake there. */
  guarded?: Set<string>;
}

const GUARD_TESTS = new Set(['defined', 'undefined']);
const GUARD_FILTERS = new Set(['default', 'd']);

/** Scans one expression (the inside of {{ }} or a bare `when:` condition). */
export function scanExpression(expr: string, scan: JinjaScan = { reads: new Set(), binds: new Set() }): JinjaScan {
  const tokens = tokenize(expr);
  let depth = 0;
  tokens.forEach((t, i) => {
    if (t.kind === 'op' && '([{'.includes(t.text)) depth++;
    if (t.kind === 'op' && ')]}'.includes(t.text)) depth--;
    if (t.kind !== 'name' || KEYWORDS.has(t.text)) return;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (prev?.kind === 'op' && (prev.text === '.' || prev.text === '|')) return; // attribute or filter
    if (prev?.kind === 'name' && prev.text === 'is') return; // test
    if (prev?.kind === 'name' && prev.text === 'not' && tokens[i - 2]?.text === 'is') return;
    if (depth > 0 && next?.kind === 'op' && next.text === '=') return; // keyword argument
    scan.reads.add(t.text);
    // `x.a.b is defined`, `x.a | default(...)`: past the attribute chain, a test or filter that guards.
    let j = i + 1;
    while (tokens[j]?.text === '.' && tokens[j + 1]?.kind === 'name') j += 2;
    const guard = tokens[j]?.text;
    const what = tokens[j + (tokens[j + 1]?.text === 'not' ? 2 : 1)]?.text;
    if ((guard === 'is' && what && GUARD_TESTS.has(what)) || (guard === '|' && what && GUARD_FILTERS.has(what)))
      (scan.guarded ??= new Set()).add(t.text);
  });
  return scan;
}

function scanStatement(stmt: string, scan: JinjaScan): void {
  const s = stmt.trim();
  let m: RegExpExecArray | null;
  if ((m = /^for\s+([\w\s,()]+?)\s+in\s+([\s\S]*)$/.exec(s))) {
    for (const n of m[1]!.split(/[\s,()]+/).filter(Boolean)) scan.binds.add(n);
    scan.binds.add('loop');
    scanExpression(m[2]!.replace(/\s+recursive\s*$/, ''), scan);
  } else if ((m = /^set\s+([\w\s,]+?)\s*=\s*([\s\S]*)$/.exec(s))) {
    for (const n of m[1]!.split(/[\s,]+/).filter(Boolean)) scan.binds.add(n);
    scanExpression(m[2]!, scan);
  } else if ((m = /^set\s+(\w+)\s*$/.exec(s))) {
    scan.binds.add(m[1]!);
  } else if ((m = /^macro\s+(\w+)\s*\(([^)]*)\)/.exec(s))) {
    scan.binds.add(m[1]!);
    for (const a of m[2]!.split(',')) {
      const n = a.split('=')[0]!.trim();
      if (n) scan.binds.add(n);
    }
  } else if ((m = /^(?:if|elif|with)\s+([\s\S]*)$/.exec(s))) {
    scanExpression(m[1]!, scan);
  } else if (!/^(?:end\w+|else|raw|filter\s+\w+|block\s+\w+)\b/.test(s)) {
    scanExpression(s.replace(/^\w+\s*/, ''), scan);
  }
}

/** Scans a template or a string value with {{ }} and {% %} sections. */
export function scanTemplate(text: string): JinjaScan {
  const scan: JinjaScan = { reads: new Set(), binds: new Set() };
  // An expression ends at the first `}}` outside a string literal: `'{{ x }}'` inside one is text.
  const re =
    /\{\{-?((?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^'"}]|\}(?!\}))*?)-?\}\}|\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{%-?([\s\S]*?)-?%\}|\{#[\s\S]*?#\}/g;
  for (const m of text.matchAll(re)) {
    if (m[1] !== undefined) scanExpression(m[1], scan);
    else if (m[2] !== undefined) scanStatement(m[2], scan);
  }
  return scan;
}

/**
 * The message for a read of a variable nothing declares: the nearest known name when there is one,
 * else where to declare it. `declareIn` says where ("in role 'ntp' (roles-src/ntp/role.ts)").
 */
export function undeclaredMessage(name: string, known: Iterable<string>, declareIn: string): string {
  const near = closest(name, [...known]);
  return near
    ? `reads undeclared variable '${name}'; did you mean '${near}'? (else declare it ${declareIn})`
    : `reads undeclared variable '${name}'; declare it ${declareIn} or fix the name${LITERAL_HINT}`;
}

/** Names every play can read without declaring them. */
export const MAGIC_VARIABLES = new Set([
  'hostvars',
  'groups',
  'group_names',
  'inventory_hostname',
  'inventory_hostname_short',
  'inventory_dir',
  'inventory_file',
  'play_hosts',
  'playbook_dir',
  'role_path',
  'role_name',
  'omit',
  'environment',
  'lookup',
  'query',
  'q',
  'range',
  'dict',
  'lipsum',
  'cycler',
  'joiner',
  'namespace',
  'now',
  'undef',
  'loop',
  'caller',
  'varargs',
  'kwargs',
  'super',
  'self',
  'zip',
  'min',
  'max',
  'abs',
  'bool',
  'int',
  'float',
  'string',
  'list',
  'length',
]);

/** Appended to "undeclared variable" messages: the way to write braces Ansible must not template. */
export const LITERAL_HINT =
  '; if the braces are meant for the target (a Prometheus or Go template, say), keep Ansible off them with {% raw %}...{% endraw %}';

/** Task keys whose value is a bare Jinja expression (a condition), not a template. */
export const CONDITION_KEYS: ReadonlySet<string> = new Set(['when', 'changed_when', 'failed_when', 'until']);

export function isMagic(name: string): boolean {
  return MAGIC_VARIABLES.has(name) || name.startsWith('ansible_');
}
