// Which modules dsl/modules/ types, and the name of each one's function: shared by the module
// generator, which writes them, and the importer, which calls them.
import fs from 'node:fs';
import path from 'node:path';

/** Words an ES module (strict mode) cannot use as a binding name: a module named so gets a trailing `_`. */
const TS_RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'await',
  'arguments',
  'eval',
]);

/**
 * The DSL's own functions (dsl/index.ts), which a role source imports beside the modules:
 * ansible.builtin.raw is not the variable type `raw`. A unit test keeps this list whole.
 */
export const DSL_FUNCTIONS = new Set([
  'block',
  'bool',
  'cond',
  'defaultOf',
  'defineRole',
  'dict',
  'flushHandlers',
  'handler',
  'importPlaybook',
  'importRole',
  'importTasks',
  'includeRole',
  'includeTasks',
  'includeVars',
  'int',
  'inventory',
  'jinja',
  'list',
  'path',
  'pgParameters',
  'playbook',
  'raw',
  'scenario',
  'str',
  'task',
  'tlsOn',
  'untypedModule',
]);

/** The DSL function of a module: its short name, with a trailing `_` when that is a reserved word or a DSL function's name. */
export function moduleFunctionName(fqcn: string): string {
  const short = fqcn.split('.').pop()!;
  return TS_RESERVED.has(short) || DSL_FUNCTIONS.has(short) ? `${short}_` : short;
}

/** dsl/modules/modules.json of a project: the modules the generator types. */
export const moduleListFile = (root: string) => path.join(root, 'dsl', 'modules', 'modules.json');

export function moduleList(root: string): string[] {
  return JSON.parse(fs.readFileSync(moduleListFile(root), 'utf8')) as string[];
}

/** Module name as a task may write it (FQCN, or the short name of a builtin) -> its DSL function. */
export function typedModules(root: string): Map<string, string> {
  const typed = new Map<string, string>();
  for (const fqcn of moduleList(root)) {
    typed.set(fqcn, moduleFunctionName(fqcn));
    if (fqcn.startsWith('ansible.builtin.')) typed.set(fqcn.slice('ansible.builtin.'.length), moduleFunctionName(fqcn));
  }
  return typed;
}
