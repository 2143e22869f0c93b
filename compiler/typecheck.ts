// Type-checks the DSL sources with the TypeScript compiler API and emits them as JavaScript
// into .build/js, from where the compiler imports them.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import { TypeScriptError } from './errors.js';

// Loaded with require, as tsc loads it: importing the 9 MB CommonJS file from an ES module made
// Node scan it for named exports and detect its format first (about 0.6 s of a cold build).
const ts = createRequire(import.meta.url)('typescript') as typeof TS;

/** The property path (e.g. `state` or `vars.ntp_mode`) of the object literal a position is in. */
function fieldAt(file: TS.SourceFile, pos: number): string | undefined {
  const names: string[] = [];
  const visit = (node: TS.Node): void => {
    if (pos < node.getStart(file) || pos >= node.getEnd()) return;
    if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
      !ts.isComputedPropertyName(node.name)
    ) {
      names.push(node.name.getText(file));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names.length ? names.slice(-2).join('.') : undefined;
}

function formatDiagnostic(d: TS.Diagnostic, root: string): string {
  const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return msg;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const field = fieldAt(d.file, d.start);
  return `${path.relative(root, d.file.fileName)}:${line + 1}:${character + 1} ${field ? `field '${field}': ` : ''}${msg}`;
}

/** Type-checks and emits; throws TypeScriptError with `file:line:col message` lines on failure. */
export function compileSources(root: string, buildDir: string): string[] {
  const configPath = path.join(root, 'tsconfig.sources.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new TypeScriptError(formatDiagnostic(read.error, root));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
  // A plain program, not an incremental one: the builder behind incremental programs computes a
  // declaration signature of every file. Unchanged sources are served by the up-to-date check
  // (source-stamp.ts) before TypeScript is even loaded.
  const options: TS.CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    outDir: buildDir,
    rootDir: root,
    declaration: false,
    sourceMap: false,
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options });
  const diagnostics = [
    ...parsed.errors,
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ];
  if (diagnostics.length) throw new TypeScriptError(diagnostics.map((d) => formatDiagnostic(d, root)).join('\n'));
  const emitted = program.emit();
  if (emitted.diagnostics.length)
    throw new TypeScriptError(emitted.diagnostics.map((d) => formatDiagnostic(d, root)).join('\n'));
  return parsed.fileNames.map((f) => path.relative(root, f));
}
