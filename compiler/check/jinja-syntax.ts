// Jinja syntax, checked by Jinja itself (the Jinja2 that Ansible uses, from .venv): every
// templated string and .j2 template the build emits is parsed, conditions as expressions. A
// `'{{ x }'` or an unclosed `{% if %}` is refused at build time instead of on a host.
import path from 'node:path';
import { execa } from 'execa';
import { CONDITION_KEYS } from '../jinja-refs.js';
import { closest } from '../../dsl/closest.js';
import { PROJECT_ROOT, VENV } from '../../lib/python-env.js';

export interface JinjaText {
  source: string;
  field: string;
  text: string;
  expression: boolean;
  /** In a task that loops over one variable (`loop: '{{ x }}'`): the loop variable and that variable. */
  item?: { name: string; over: string };
}

/** The declared keys of a dict variable, or of each item of a list-of-dicts one (house roles' `options`). */
export interface VarShape {
  keys: readonly string[];
  element: boolean;
}
export interface JinjaProblem {
  source: string;
  field: string;
  message: string;
  /** A template's line (its source file's: the build's comment comes after the last byte). */
  line?: number;
}

const JINJA = /\{\{|\{%|\{#/;

/** Strings in an emitted YAML document that Ansible will template, conditions marked as such. */
export function jinjaTexts(doc: unknown, source: string, prefix = ''): JinjaText[] {
  const out: JinjaText[] = [];
  const visit = (v: unknown, at: string, expression: boolean, item?: JinjaText['item']): void => {
    if (typeof v === 'string') {
      if (expression || JINJA.test(v)) out.push({ source, field: at, text: v, expression, ...(item ? { item } : {}) });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        const name =
          x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string'
            ? ` '${(x as { name: string }).name}'`
            : '';
        visit(x, `${at}[${i}]${name}`, expression, item);
      });
    } else if (v && typeof v === 'object') {
      const task = v as { loop?: unknown; loop_control?: { loop_var?: unknown } };
      const over = typeof task.loop === 'string' ? /^\{\{\s*([A-Za-z_]\w*)\s*\}\}$/.exec(task.loop)?.[1] : undefined;
      const loopVar = typeof task.loop_control?.loop_var === 'string' ? task.loop_control.loop_var : 'item';
      for (const [k, x] of Object.entries(v)) {
        const field = at ? `${at}.${k}` : k;
        // A with_<name> loop runs the lookup plugin <name>: checked as the lookup call it is.
        const lookup = /^with_([a-z_][\w.]*)$/.exec(k)?.[1];
        if (lookup)
          out.push({ source, field: `${at}.with.lookup`, text: `{{ lookup('${lookup}') }}`, expression: false });
        const inner = over && k !== 'loop' ? { name: loopVar, over } : k === 'loop' ? undefined : item;
        visit(x, field, CONDITION_KEYS.has(k) && typeof x !== 'boolean', inner);
      }
    }
  };
  visit(doc, prefix, false);
  return out;
}

// Ansible's template environment enables these extensions; parsing only needs the syntax they add.
// Filters and tests are then looked up as Ansible would: Jinja's own, ansible.builtin's (short or
// qualified), and a collection's by its qualified name when that collection is installed (one
// that is not installed is left alone: only the host knows). A short name is refused only when it
// is a near miss of a known one: a collections keyword can make another collection's short.
//
// ansible-core's own plugin names come from compiler/jinja-plugins.generated.json when the installed
// ansible-core is the version it lists: importing Ansible's plugins takes a third of a second, and
// is needed only for a name that is not ansible-core's (or for another ansible-core).
const PARSER = `
import difflib, importlib.util, json, os, re, sys
from jinja2 import Environment, TemplateSyntaxError, nodes
env = Environment(extensions=['jinja2.ext.loopcontrols', 'jinja2.ext.do'])
known = {'filter': set(env.filters), 'test': set(env.tests), 'lookup': set()}
loaders = None

def load_plugins():
    global loaders
    if loaders is not None:
        return
    loaders = {}
    try:
        from ansible.plugins.loader import filter_loader, test_loader, lookup_loader, init_plugin_loader
        init_plugin_loader()
        for kind, loader in (('filter', filter_loader), ('test', test_loader), ('lookup', lookup_loader)):
            for p in loader.all():
                name = getattr(p, 'ansible_name', None) or p._load_name
                known[kind] |= {name, name.rsplit('.', 1)[-1]}
            loaders[kind] = loader
    except Exception:
        loaders = {}

def installed_core():
    try:
        spec = importlib.util.find_spec('ansible')
        with open(os.path.join(os.path.dirname(spec.origin), 'release.py')) as f:
            m = re.search(r"^__version__ = '([^']+)'", f.read(), re.M)
        return m and m.group(1)
    except Exception:
        return None

with open(sys.argv[1]) as f:
    core = json.load(f)
if installed_core() == core['ansible_core']:
    for kind in known:
        known[kind] |= {n for q in core[kind] for n in (q, q.rsplit('.', 1)[-1])}
else:
    load_plugins()

def unknown(kind, name):
    if name in known[kind]:
        return False
    load_plugins()
    if name in known[kind]:
        return False
    parts = name.split('.')
    if len(parts) == 3 and parts[:2] != ['ansible', 'builtin']:
        if importlib.util.find_spec('ansible_collections.%s.%s' % (parts[0], parts[1])) is None:
            return False
        try:
            return loaders[kind].get(name) is None
        except Exception:
            return False
    return bool(loaders)

out = []
for i, item in enumerate(json.load(sys.stdin)):
    text = '{{ (' + item['text'] + ') }}' if item['expression'] else item['text']
    try:
        tree = env.parse(text)
    except TemplateSyntaxError as e:
        out.append({'index': i, 'message': e.message, 'line': e.lineno})
        continue
    # groups['x'] and hostvars['x'] with a literal name, unless guarded by default or is defined.
    def subscripts(node, guarded):
        if isinstance(node, nodes.Filter) and node.name in ('default', 'd'):
            guarded = True
        if isinstance(node, nodes.Test) and node.name in ('defined', 'undefined'):
            guarded = True
        if not guarded and isinstance(node, (nodes.Getitem, nodes.Getattr)) and isinstance(node.node, nodes.Name) \
                and node.node.name in ('groups', 'hostvars'):
            key = node.arg.value if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) else \
                node.attr if isinstance(node, nodes.Getattr) else None
            if isinstance(key, str):
                out.append({'index': i, 'line': node.lineno, 'ref': node.node.name, 'name': key})
        for child in node.iter_child_nodes():
            subscripts(child, guarded)
    subscripts(tree, False)
    # A key read of a variable (x.key, x['key']), or of an item of one ({% for s in x %}{{ s.key }},
    # a task's item over loop: '{{ x }}'): judged against the variable's declared keys. Method
    # calls (x.items()) and guarded reads (| default, is defined) are not key reads.
    loops = {item['item']['name']: item['item']['over']} if item.get('item') else {}
    for f in tree.find_all(nodes.For):
        if isinstance(f.target, nodes.Name) and isinstance(f.iter, nodes.Name):
            loops[f.target.name] = f.iter.name
    called = {id(c.node) for c in tree.find_all(nodes.Call)}
    def keys(node, guarded):
        if isinstance(node, nodes.Filter) and node.name in ('default', 'd'):
            guarded = True
        if isinstance(node, nodes.Test) and node.name in ('defined', 'undefined'):
            guarded = True
        if not guarded and isinstance(node, (nodes.Getattr, nodes.Getitem)) and id(node) not in called \
                and isinstance(node.node, nodes.Name):
            key = node.attr if isinstance(node, nodes.Getattr) else \
                node.arg.value if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) else None
            name = node.node.name
            if key is not None:
                out.append({'index': i, 'line': node.lineno, 'key': key,
                            'var': loops.get(name, name), 'element': name in loops})
        for child in node.iter_child_nodes():
            keys(child, guarded)
    keys(tree, False)
    # Plugins named in the text: filters, tests, and lookups called with a literal name.
    named = [('filter', n.name, n.lineno) for n in tree.find_all(nodes.Filter)]
    named += [('test', n.name, n.lineno) for n in tree.find_all(nodes.Test)]
    named += [('lookup', n.args[0].value, n.lineno) for n in tree.find_all(nodes.Call)
              if isinstance(n.node, nodes.Name) and n.node.name in ('lookup', 'query', 'q')
              and n.args and isinstance(n.args[0], nodes.Const) and isinstance(n.args[0].value, str)]
    for kind, name, line in named:
        if unknown(kind, name):
            near = difflib.get_close_matches(name, sorted(known[kind]), 1, 0.8)
            # A short name with no near known one may be a collection's, made short by a
            # role's or play's collections keyword: left to the host. A near one is a typo.
            if '.' not in name and not near:
                continue
            hint = " (did you mean '%s'?)" % near[0] if near else ''
            what = 'lookup plugin' if kind == 'lookup' else 'Jinja ' + kind
            out.append({'index': i, 'line': line, 'unknown': True,
                        'message': "unknown %s '%s'%s: Ansible would fail on the host" % (what, name, hint)})
print(json.dumps(out))
`;

const CORE_PLUGINS = path.join(PROJECT_ROOT, 'compiler', 'jinja-plugins.generated.json');

/** Emitted files whose strings Ansible templates (argument specs and Molecule's own files only repeat them). */
export const TEMPLATED_YAML =
  /^(roles\/[^/]+\/(tasks|handlers|defaults|vars)\/.+\.yml|[^/]+\.yml|molecule\/[^/]+\/(converge|verify|create|destroy)\.yml)$/;

/**
 * Jinja's parser in a Python process, started before the texts exist so that its start-up (Python
 * and jinja2 imports) overlaps the type check. `check` sends the texts; `dispose` ends an unused one.
 */
export class JinjaChecker {
  private readonly proc = execa(path.join(VENV, 'bin', 'python'), ['-c', PARSER, CORE_PLUGINS], {
    reject: false,
    stdin: 'pipe',
  });
  private sent = false;

  /** Parses every text; a text repeated in several emitted files (Molecule copies plays) is reported once. */
  async check(
    all: readonly JinjaText[],
    inventoryNames?: ReadonlySet<string>,
    shapes: ReadonlyMap<string, VarShape> = new Map(),
  ): Promise<JinjaProblem[]> {
    const seen = new Set<string>();
    const texts = all.filter((t) => {
      const key = `${t.expression}:${t.item?.name ?? ''}:${t.item?.over ?? ''}:${t.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    this.sent = true;
    this.proc.stdin?.end(JSON.stringify(texts));
    return problemsFrom(await this.proc, texts, inventoryNames, shapes);
  }

  async dispose(): Promise<void> {
    if (this.sent) return;
    this.sent = true;
    this.proc.stdin?.end('[]');
    await this.proc;
  }
}

interface ParserFinding {
  index: number;
  message?: string;
  line: number;
  unknown?: boolean;
  /** A literal groups['x'] or hostvars['x']. */
  ref?: 'groups' | 'hostvars';
  name?: string;
  /** A key read of variable `var` (`element`: of an item of it). */
  key?: string;
  var?: string;
  element?: boolean;
}

function problemsFrom(
  r: { exitCode?: number; stderr: string; stdout: string },
  texts: JinjaText[],
  inventoryNames?: ReadonlySet<string>,
  shapes: ReadonlyMap<string, VarShape> = new Map(),
): JinjaProblem[] {
  if (r.exitCode !== 0) {
    return [
      {
        source: 'compiler',
        field: 'jinja',
        message: `cannot run Jinja from ${VENV} to check template syntax (run 'npm run setup:python', no root needed): ${r.stderr.trim().split('\n').pop()}`,
      },
    ];
  }
  const findings = (JSON.parse(r.stdout) as ParserFinding[]).flatMap((f): (ParserFinding & { message: string })[] => {
    if (f.key !== undefined) {
      const shape = shapes.get(f.var!);
      if (!shape || shape.element !== f.element || shape.keys.includes(f.key)) return [];
      const near = closest(f.key, shape.keys);
      const of = f.element ? `an item of ${f.var!}` : f.var!;
      return [
        {
          ...f,
          unknown: true,
          message: `reads key '${f.key}' of ${of}, whose declared keys are ${shape.keys.join(', ')}${near ? `; did you mean '${near}'?` : ''}: Ansible would fail on the host (undefined); fix the key or declare it in the variable's options`,
        },
      ];
    }
    if (!f.ref) return [{ ...f, message: f.message ?? '' }];
    if (!inventoryNames || inventoryNames.has(f.name!)) return [];
    const kind = f.ref === 'groups' ? 'group' : 'host';
    return [
      {
        ...f,
        unknown: true,
        message: `${f.ref}['${f.name!}'] names a ${kind} no inventory defines (${[...inventoryNames].sort().join(', ')}): Ansible would fail on the host; fix the name, or guard it with | default`,
      },
    ];
  });
  return findings.map(({ index, message, line, unknown }) => {
    const t = texts[index]!;
    const template = t.field === 'template';
    const where = t.text.includes('\n') ? ` (line ${line} of the text)` : '';
    return {
      source: t.source,
      field: t.field,
      ...(template && line ? { line } : {}),
      message: unknown
        ? `${message}${where}; in ${JSON.stringify(t.text.length > 120 ? `${t.text.slice(0, 117)}...` : t.text)}`
        : t.expression
          ? `Jinja syntax error in the condition "${t.text}": ${message}. A condition is one expression, e.g. x == 'y'`
          : `Jinja syntax error${where}: ${message}; in ${JSON.stringify(t.text.length > 120 ? `${t.text.slice(0, 117)}...` : t.text)}`,
    };
  });
}
