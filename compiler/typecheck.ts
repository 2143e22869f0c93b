// Type-checks the DSL sources with the TypeScript compiler API and emits them as JavaScript
// into .build/js, from where the compiler imports them.
import path from 'node:path';
import ts from 'typescript';
import { TypeScriptError } from './errors.js';

/** The property path (e.g. `state` or `vars.ntp_mode`) of the object literal a position is in. */
function fieldAt(file: ts.SourceFile, pos: number): string | undefined {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
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

function formatDiagnostic(d: ts.Diagnostic, root: string): string {
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
  // Incremental: an unchanged source is neither re-checked nor re-emitted (state in .tsbuildinfo).
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    outDir: buildDir,
    rootDir: root,
    declaration: false,
    sourceMap: false,
    incremental: true,
    tsBuildInfoFile: path.join(buildDir, '.tsbuildinfo'),
  };
  const program = ts.createIncrementalProgram({ rootNames: parsed.fileNames, options });
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
