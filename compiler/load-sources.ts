// Type-checks the DSL sources with the TypeScript compiler API, emits them as JavaScript into
// .build/ and imports the roles, playbooks and inventories they define.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { Inventory } from '../dsl/inventory.js';
import type { Playbook } from '../dsl/playbook.js';
import type { Role } from '../dsl/role.js';
import type { Scenario } from '../dsl/scenario.js';
import type { VarDecls } from '../dsl/vars.js';
import { BuildError, Problems } from './errors.js';

export interface Sources {
  roles: { role: Role<VarDecls>; file: string; dir: string }[];
  playbooks: { playbook: Playbook; file: string }[];
  inventories: { inventory: Inventory; file: string }[];
  scenarios: { scenario: Scenario; file: string }[];
  /** Extra data files (e.g. the stand's host list for the Vagrantfile). */
  data: { path: string; value: unknown; file: string }[];
}

export class TypeScriptError extends Error {}

/** The property path (e.g. `state` or `vars.ntp_mode`) of the object literal a position is in. */
function fieldAt(file: ts.SourceFile, pos: number): string | undefined {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (pos < node.getStart(file) || pos >= node.getEnd()) return;
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && !ts.isComputedPropertyName(node.name)) {
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
    ...parsed.options, noEmit: false, outDir: buildDir, rootDir: root, declaration: false, sourceMap: false,
    incremental: true, tsBuildInfoFile: path.join(buildDir, '.tsbuildinfo'),
  };
  const program = ts.createIncrementalProgram({ rootNames: parsed.fileNames, options });
  const diagnostics = [
    ...parsed.errors, ...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(), ...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(),
  ];
  if (diagnostics.length) throw new TypeScriptError(diagnostics.map((d) => formatDiagnostic(d, root)).join('\n'));
  const emitted = program.emit();
  if (emitted.diagnostics.length) throw new TypeScriptError(emitted.diagnostics.map((d) => formatDiagnostic(d, root)).join('\n'));
  return parsed.fileNames.map((f) => path.relative(root, f));
}

async function importDefault(buildDir: string, rel: string): Promise<unknown> {
  const js = path.join(buildDir, rel.replace(/\.ts$/, '.js'));
  const mod = (await import(pathToFileURL(js).href)) as { default?: unknown };
  return mod.default;
}

const isKind = (v: unknown, kind: string) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind;

/** Imports what the emitted sources define: roles-src/<name>/role.ts, playbooks/*.ts, molecule-src/*.ts. */
export async function loadSources(root: string, buildDir: string, files: string[]): Promise<Sources> {
  const problems = new Problems();
  const sources: Sources = { roles: [], playbooks: [], inventories: [], scenarios: [], data: [] };
  for (const rel of files.sort()) {
    let m: RegExpExecArray | null;
    if ((m = /^roles-src\/([^/]+)\/role\.ts$/.exec(rel))) {
      const role = await importDefault(buildDir, rel);
      if (!isKind(role, 'role')) { problems.add(rel, 'default export', 'expected a role made with defineRole()'); continue; }
      sources.roles.push({ role: role as Role<VarDecls>, file: rel, dir: path.join(root, 'roles-src', m[1]!) });
    } else if (/^playbooks\/[^/]+\.ts$/.test(rel)) {
      const pb = await importDefault(buildDir, rel);
      if (!isKind(pb, 'playbook')) { problems.add(rel, 'default export', 'expected a playbook made with playbook()'); continue; }
      sources.playbooks.push({ playbook: pb as Playbook, file: rel });
    } else if (/^molecule-src\/[^/]+\.ts$/.test(rel)) {
      const sc = await importDefault(buildDir, rel);
      if (!isKind(sc, 'scenario')) { problems.add(rel, 'default export', 'expected a Molecule scenario made with scenario()'); continue; }
      sources.scenarios.push({ scenario: sc as Scenario, file: rel });
    } else if (rel === 'stand/inventory.ts') {
      const mod = (await import(pathToFileURL(path.join(buildDir, 'stand/inventory.js')).href)) as { inventories: Inventory[]; standData: Record<string, unknown> };
      for (const inventory of mod.inventories) sources.inventories.push({ inventory, file: rel });
      for (const [p, value] of Object.entries(mod.standData)) sources.data.push({ path: p, value, file: rel });
    }
  }
  problems.throwIfAny();
  if (!sources.inventories.length) throw new BuildError([{ file: 'stand/inventory.ts', field: 'inventories', message: 'no inventory defined' }]);
  return sources;
}
