// Generates typed module argument files (dsl/modules/*.generated.ts) from `ansible-doc --json`.
// Usage: npm run gen:modules [-- FQCN...]   (named modules are added to dsl/modules/modules.json)
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { ansibleTool, PROJECT_ROOT, VENV } from '../../lib/python-env.js';
import type { ArgConstraints } from '../../dsl/module.js';
import { moduleFunctionName, moduleList, moduleListFile } from '../module-names.js';
import { execa } from 'execa';

interface DocOption {
  type?: string;
  required?: boolean;
  choices?: (string | number | boolean)[] | Record<string, unknown>;
  elements?: string;
  aliases?: string[];
  description?: string | string[];
  suboptions?: Record<string, DocOption>;
  default?: unknown;
}

interface ModuleDoc {
  short_description?: string;
  description?: string | string[];
  options?: Record<string, DocOption>;
  filename: string;
}

/** Options that are not keyword arguments (free-form text). */
const FREE_FORM = new Set(['free_form', '_raw_params', 'key_value']);

/**
 * Where the documentation's type is not what Ansible reads: `apply` of the include actions is
 * documented as a string, but TaskInclude and IncludeRole take only a mapping of task keywords
 * ("Expected a dict for apply"). Each correction names the code that decides.
 */
const DOC_TYPE_FIXES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'ansible.builtin.include_tasks': { apply: 'dict' },
  'ansible.builtin.include_role': { apply: 'dict' },
};

const camel = (s: string) => s.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

function description(o: DocOption): string {
  const d = Array.isArray(o.description) ? o.description.join(' ') : (o.description ?? '');
  // Ansible's markup: I(x), C(x), V(x), O(x), B(x), M(x), U(x) -> x
  return d
    .replace(/\b[ICVOBMURE]\(([^)]*)\)/g, '$1')
    .replace(/\*\//g, '* /')
    .replace(/\s+/g, ' ')
    .trim();
}

function choiceList(o: DocOption): (string | number | boolean)[] | undefined {
  if (!o.choices) return undefined;
  return Array.isArray(o.choices) ? o.choices : Object.keys(o.choices);
}

function scalarType(type: string | undefined, choices?: (string | number | boolean)[]): string {
  if (choices?.length) return choices.map((c) => JSON.stringify(c)).join(' | ');
  switch (type) {
    case 'str':
    case 'path':
    case 'sid':
      return 'string';
    case 'int':
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'bytes':
    case 'bits':
      return 'string | number';
    case 'dict':
      return 'Readonly<Record<string, unknown>>';
    case 'list':
      return 'readonly unknown[]';
    // Ansible's `raw` takes any YAML value (a mode as '0644', content as text, a number...).
    case 'raw':
      return 'RawValue';
    default:
      return 'unknown';
  }
}

function optionType(o: DocOption, indent: string): string {
  if (o.type === 'list') {
    const elem =
      o.suboptions && o.elements === 'dict'
        ? interfaceBody(o.suboptions, indent)
        : scalarType(o.elements, choiceList(o));
    // Ansible takes a single value for a list of scalars (`name: pkg`, `status_code: 200`).
    const single = o.elements === 'dict' || !o.elements ? '' : ` | Val<${elem}>`;
    return `Val<readonly Val<${elem}>[]>${single}`;
  }
  if (o.type === 'dict' && o.suboptions) return `Val<${interfaceBody(o.suboptions, indent)}>`;
  return `Val<${scalarType(o.type, choiceList(o))}>`;
}

function interfaceBody(options: Record<string, DocOption>, indent: string, allOptional = false): string {
  const lines: string[] = ['{'];
  for (const name of Object.keys(options).sort()) {
    const o = options[name]!;
    if (FREE_FORM.has(name)) continue;
    const doc = description(o);
    const type = optionType(o, indent + '  ');
    // A required option with aliases may be given under any of its names: checked by the compiler.
    const required = !allOptional && o.required && !o.aliases?.length;
    for (const key of [name, ...(o.aliases ?? [])]) {
      if (doc) lines.push(`${indent}  /** ${key === name ? doc : `Alias of ${name}.`} */`);
      const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
      lines.push(`${indent}  ${k}${required && key === name ? '' : '?'}: ${type};`);
    }
  }
  lines.push(`${indent}}`);
  return lines.join('\n');
}

function runtimeSpec(options: Record<string, DocOption>, allOptional = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(options).sort()) {
    if (FREE_FORM.has(name)) continue;
    const o = options[name]!;
    const s: Record<string, unknown> = {};
    if (o.type) s.type = o.type;
    if (o.required && !allOptional) s.required = true;
    const choices = choiceList(o);
    if (choices) s.choices = choices;
    if (o.elements) s.elements = o.elements;
    if (o.aliases?.length) s.aliases = o.aliases;
    if (o.suboptions) s.suboptions = runtimeSpec(o.suboptions);
    out[name] = s;
  }
  return out;
}

/** The argument constraints each module's source gives AnsibleModule (not in ansible-doc's JSON). */
async function moduleConstraints(files: Record<string, string>): Promise<Record<string, ArgConstraints>> {
  const { stdout } = await execa(
    path.join(VENV, 'bin', 'python'),
    [path.join(PROJECT_ROOT, 'compiler', 'generate', 'module-constraints.py')],
    { input: JSON.stringify(files) },
  );
  return JSON.parse(stdout) as Record<string, ArgConstraints>;
}

function moduleFile(
  fqcn: string,
  doc: ModuleDoc,
  found: ArgConstraints,
  version: string,
  /** The top-level keys of the module's RETURN documentation and their types: what a registered result holds. */
  returns: Readonly<Record<string, string>>,
): { file: string; text: string; fn: string; iface: string } {
  // AnsibleModule fills in non-null defaults before its required_* checks: those count as given.
  const defaulted = Object.entries(doc.options ?? {})
    .filter(([, o]) => o.default !== undefined && o.default !== null)
    .map(([n]) => n)
    .sort();

  const short = fqcn.split('.').pop()!;
  const fn = moduleFunctionName(fqcn);
  const iface = `${camel(short)}Args`;
  const options = Object.fromEntries(
    Object.entries(doc.options ?? {}).map(([n, o]) => [
      n,
      DOC_TYPE_FIXES[fqcn]?.[n] ? { ...o, type: DOC_TYPE_FIXES[fqcn][n] } : o,
    ]),
  );
  const hasKeyValue = 'key_value' in options;
  // A proxy module (package, service) passes every argument on to the backend module it picks, so
  // its documentation lists only the common ones: others are accepted, unchecked.
  const proxy = /all arguments will be passed to the underlying module/i.test([doc.description ?? []].flat().join(' '));
  const body = interfaceBody(options, '', proxy);
  // The backend module a proxy picks has its own rules (systemd reloads without a state).
  const constraints: ArgConstraints = proxy
    ? {}
    : Object.keys(found).length && defaulted.length
      ? { ...found, defaulted }
      : found;
  const text = [
    `// GENERATED by compiler/generate/modules.ts from \`ansible-doc --json -t module ${fqcn}\` and the module's AnsibleModule(...) constraints (${version}).`,
    '// Do not edit: run `npm run gen:modules` instead.',
    "import type { Val } from '../jinja.js';",
    `import { moduleCall, type ModuleCall, type ModuleSpec${body.includes('RawValue') ? ', type RawValue' : ''} } from '../module.js';`,
    '',
    `/** ${description({ description: doc.short_description ?? '' })} */`,
    `export type ${iface} = ${body}${hasKeyValue ? ' & { readonly [fact: string]: unknown }' : proxy ? ' & { readonly [backendOption: string]: unknown }' : ''};`,
    '',
    `export const ${fn}Spec: ModuleSpec = ${JSON.stringify(
      {
        fqcn,
        options: runtimeSpec(options, proxy),
        ...(hasKeyValue || proxy ? { freeForm: true } : {}),
        ...(Object.keys(constraints).length ? { constraints } : {}),
        ...(Object.keys(returns).length ? { returns } : {}),
      },
      null,
      2,
    )};`,
    '',
    `/** ${fqcn}: ${description({ description: doc.short_description ?? '' })} */`,
    `export function ${fn}(args: ${iface}): ModuleCall {`,
    `  return moduleCall(${fn}Spec, args);`,
    '}',
    '',
  ].join('\n');
  return { file: `${short}.generated.ts`, text, fn, iface };
}

/**
 * Writes <root>/dsl/modules/: one typed file per module of modules.json plus `add` (fully
 * qualified names, added to the list), from the installed Ansible's own documentation.
 */
export async function generateModules(root: string, add: readonly string[] = []): Promise<string> {
  const modulesDir = path.join(root, 'dsl', 'modules');
  const list = moduleList(root);
  for (const m of add) {
    if (!/^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$/.test(m))
      throw new Error(`'${m}' is not a fully qualified module name (namespace.collection.module)`);
    if (!list.includes(m)) list.push(m);
  }
  list.sort();
  const { stdout } = await execa(ansibleTool('ansible-doc'), ['--json', '-t', 'module', '--', ...list]);
  const docs = JSON.parse(stdout) as Record<string, { doc: ModuleDoc; return?: Record<string, unknown> | null }>;
  const constraints = await moduleConstraints(
    Object.fromEntries(Object.entries(docs).map(([k, d]) => [k, d.doc.filename])),
  );
  const version = (await execa(ansibleTool('ansible'), ['--version'])).stdout.split('\n')[0]!.trim();
  const files = list.map((fqcn) => {
    const entry = docs[fqcn];
    if (!entry) throw new Error(`ansible-doc knows no module '${fqcn}'`);
    const returns = Object.fromEntries(
      Object.entries(entry.return ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => {
          const type = (v as { type?: unknown } | null)?.type;
          return [k, typeof type === 'string' ? type : ''];
        }),
    );
    return moduleFile(fqcn, entry.doc, constraints[fqcn] ?? {}, version, returns);
  });
  for (const f of fs.readdirSync(modulesDir)) if (f.endsWith('.generated.ts')) fs.rmSync(path.join(modulesDir, f));
  // The public index carries what an author writes: each module's function and argument type.
  // Its spec stays inside dsl/ (a ModuleCall carries it). The include and import modules stay
  // too, beside dsl/includes.ts's typed helpers: the importer writes them for what the helpers do
  // not take (a role of another collection by name, include_vars with name:).
  const index = ['// GENERATED by compiler/generate/modules.ts. Do not edit.'];
  for (const m of files) {
    fs.writeFileSync(path.join(modulesDir, m.file), m.text);
    index.push(`export { ${m.fn}, type ${m.iface} } from './${m.file.replace(/\.ts$/, '.js')}';`);
  }
  fs.writeFileSync(path.join(modulesDir, 'index.ts'), index.join('\n') + '\n');
  fs.writeFileSync(moduleListFile(root), JSON.stringify(list, null, 2) + '\n');
  return `generated ${String(list.length)} module files in ${path.relative(process.cwd(), modulesDir) || '.'} from ${version}`;
}

async function main(): Promise<void> {
  const program = new Command('gen:modules')
    .argument('[fqcn...]', 'modules to add')
    .option('--root <dir>', 'project root holding dsl/modules', PROJECT_ROOT)
    .parse();
  console.log(await generateModules(program.opts<{ root: string }>().root, program.args));
}

// Run as a script (npm run gen:modules), not when the importer loads generateModules.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`gen:modules: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
