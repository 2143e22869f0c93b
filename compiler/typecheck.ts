// Type-checks the DSL sources with the TypeScript compiler API (in a worker beside the rest of
// the build, compiler/typecheck-worker.ts), with messages that name the file, line and field.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import { TypeScriptError } from './errors.js';

// Loaded with require, as tsc loads it: importing the 9 MB CommonJS file from an ES module made
// Node scan it for named exports and detect its format first (about 0.6 s of a cold build).
const ts = createRequire(import.meta.url)('typescript') as typeof TS;

/** Calls whose first argument names a task, handler or block: the path shows that name. */
const NAMED_CALLS = new Set(['task', 'handler', 'block']);

/**
 * The path (e.g. `tasks[2] 'Start chrony'.state` or `vars.ntp_mode.default`) to a position: the
 * object keys, list indexes and task names around it, as build messages name fields.
 */
function fieldAt(file: TS.SourceFile, pos: number): string | undefined {
  let out = '';
  const visit = (node: TS.Node): void => {
    if (pos < node.getStart(file) || pos >= node.getEnd()) return;
    if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
      !ts.isComputedPropertyName(node.name)
    )
      out += `${out ? '.' : ''}${node.name.getText(file)}`;
    else if (ts.isArrayLiteralExpression(node) && out) {
      const i = node.elements.findIndex((e) => pos >= e.getStart(file) && pos < e.getEnd());
      if (i >= 0) out += `[${i}]`;
    } else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      NAMED_CALLS.has(node.expression.text) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      out += ` '${node.arguments[0].text}'`;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out.trim() || undefined;
}

function formatDiagnostic(d: TS.Diagnostic, root: string): string {
  const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return msg;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const field = fieldAt(d.file, d.start);
  return `${path.relative(root, d.file.fileName)}:${line + 1}:${character + 1}: ${field ? `${field}: ` : ''}${msg}`;
}

/**
 * TypeScript says "'default' implicitly has type 'any' ... referenced directly or indirectly in its
 * own initializer" (7022) when two roles use each other as dependencies. Said as what it is: the
 * chain of imports that leads back to the file.
 */
function importCycleMessage(program: TS.Program, d: TS.Diagnostic, root: string): string | undefined {
  if (d.code !== 7022 || !d.file || d.start === undefined) return undefined;
  const importsOf = (f: TS.SourceFile): TS.SourceFile[] =>
    f.statements.flatMap((st) => {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) return [];
      const spec = st.moduleSpecifier.text;
      if (!spec.startsWith('.')) return [];
      const target = program.getSourceFile(path.resolve(path.dirname(f.fileName), spec.replace(/\.js$/, '.ts')));
      return target ? [target] : [];
    });
  const start = d.file;
  const seen = new Set<TS.SourceFile>();
  const chain = (f: TS.SourceFile): TS.SourceFile[] | undefined => {
    for (const next of importsOf(f)) {
      if (next === start) return [f, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const rest = chain(next);
      if (rest) return [f, ...rest];
    }
    return undefined;
  };
  const cycle = chain(start);
  if (!cycle) return undefined;
  const { line, character } = start.getLineAndCharacterOfPosition(d.start);
  const names = cycle.map((f) => path.relative(root, f.fileName)).join(' -> ');
  return `${path.relative(root, start.fileName)}:${line + 1}:${character + 1}: its imports lead back to it (${names}): a role cannot depend on itself, directly or through other roles; remove one of these uses`;
}

/** The project's sources and compiler options, as tsconfig.sources.json gives them. */
export function readSourcesConfig(root: string): TS.ParsedCommandLine {
  const configPath = path.join(root, 'tsconfig.sources.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new TypeScriptError(formatDiagnostic(read.error, root));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, root);
}

/**
 * The type check, without emitting (the build transpiles each file on its own beside it):
 * `file:line:col message` lines, or undefined when the sources are clean. isolatedModules holds
 * the sources to what a file-by-file transpile can emit correctly (a type re-exported without
 * `export type` is an error here rather than a missing export at run time).
 */
export function typeErrors(root: string, parsed: TS.ParsedCommandLine): string | undefined {
  const options: TS.CompilerOptions = { ...parsed.options, noEmit: true, isolatedModules: true };
  // As tsc parses (its default): in .ts files only the JSDoc comments whose @see or @link can
  // cause a type error. A quarter less parse time over lib.dom's comments and ours, the same
  // diagnostics.
  const host = ts.createCompilerHost(options);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createProgram({ rootNames: parsed.fileNames, options, host });
  const diagnostics = [
    ...parsed.errors,
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ];
  if (!diagnostics.length) return undefined;
  return diagnostics.map((d) => importCycleMessage(program, d, root) ?? formatDiagnostic(d, root)).join('\n');
}
