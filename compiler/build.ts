// The build: sources -> checked, rendered, schema-validated YAML -> out/ (atomically).
import path from 'node:path';
import { isPlay } from '../dsl/playbook.js';
import { hostPatternProblems, inventoryNames } from './check-hosts.js';
import { checkJinjaSyntax, jinjaTexts, TEMPLATED_YAML, type JinjaText } from './check-jinja-syntax.js';
import { checkPgParameterSets } from './check-pg-parameters.js';
import { Problems } from './errors.js';
import { loadSources } from './load-sources.js';
import { sourcesHash, upToDateFiles, writeStamp } from './source-stamp.js';
import { inventoryVarNames, renderInventory } from './render-inventory.js';
import { renderPlaybook } from './render-playbook.js';
import { renderRole, roleFileNames, type OutFiles } from './render-role.js';
import { renderScenario } from './render-scenario.js';
import { readAnsibleCfg } from './ansible-cfg.js';
import fs from 'node:fs';
import { Schemas, schemaFor } from './schemas.js';
import { writeTreeAtomically } from './write-out.js';
import { toYaml } from './yaml-out.js';

export interface BuildOptions {
  root: string;
  outDir: string;
}

export interface BuildResult {
  /** Milliseconds per stage. */
  timings: Record<string, number>;
  files: number;
  roles: string[];
  playbooks: string[];
}

/** How a message names the start of an emitted document: tasks, handlers, vars or plays. */
function fieldPrefix(outPath: string): string {
  const role = /^roles\/[^/]+\/(tasks|handlers|defaults|vars)\/([^/]+)\.yml$/.exec(outPath);
  if (role?.[1] === 'defaults') return 'vars';
  if (role?.[1] === 'tasks' && role[2] !== 'main') return `taskFiles.${role[2]}`;
  if (role?.[1] === 'vars') return `varsFiles.${role[2]}`;
  if (role) return role[1]!;
  const molecule = /^molecule\/[^/]+\/([^/]+)\.yml$/.exec(outPath);
  return molecule ? `${molecule[1]}.plays` : 'plays';
}

export async function build({ root, outDir }: BuildOptions): Promise<BuildResult> {
  const timings: Record<string, number> = {};
  let last = performance.now();
  const lap = (stage: string) => { const now = performance.now(); timings[stage] = Math.round(now - last); last = now; };
  const buildDir = path.join(root, '.build', 'js');
  const hash = sourcesHash(root);
  let files = upToDateFiles(buildDir, hash);
  if (!files) {
    const { compileSources } = await import('./typecheck.js'); // TypeScript loads only when needed
    files = compileSources(root, buildDir);
    writeStamp(buildDir, hash, files);
  }
  lap('typecheck+emit');
  const sources = await loadSources(root, buildDir, files);
  lap('evaluate');
  const problems = new Problems(root);

  // Every inventory provides the same variable names (the stand's); roles may read them.
  const inventoryVars = new Set<string>();
  for (const { inventory } of sources.inventories) for (const n of inventoryVarNames(inventory)) inventoryVars.add(n);

  const out: OutFiles = new Map();
  const origin = new Map<string, string>(); // out path -> source file, for messages
  const add = (p: string, content: string | Buffer | { yaml: unknown; comment?: string }, from: string) => {
    if (out.has(p)) problems.add(from, p, `emits ${p}, which ${origin.get(p)} emits too`);
    out.set(p, content);
    origin.set(p, from);
  };
  const roleFiles = new Map(sources.roles.map((r) => [r.role.definition.name, roleFileNames(r.role.definition)]));
  for (const src of sources.roles) {
    for (const [p, c] of renderRole(src, inventoryVars, problems, roleFiles)) add(p, c, src.file);
  }
  const roleNames = new Set(sources.roles.map((r) => r.role.definition.name));
  const hostNames = inventoryNames(sources.inventories.map((i) => i.inventory));
  const playSets = [...sources.playbooks.map(({ playbook, file }) => ({ plays: playbook.plays, file })),
    ...sources.scenarios.flatMap(({ scenario, file }) => [scenario.create, scenario.destroy, scenario.prepare ?? [], scenario.converge, scenario.verify].map((plays) => ({ plays, file })))];
  for (const { plays, file } of playSets) {
    plays.forEach((play, i) => {
      if (!isPlay(play)) return;
      for (const m of hostPatternProblems(play.hosts, hostNames)) problems.add(file, `plays[${i}] '${play.name}'.hosts`, m);
    });
  }
  const playbookNames = new Set(sources.playbooks.map((p) => p.playbook.name));
  for (const { playbook, file } of sources.playbooks) {
    add(`${playbook.name}.yml`, { yaml: renderPlaybook(playbook, file, inventoryVars, roleFiles, problems, playbookNames), comment: playbook.summary }, file);
  }
  for (const { inventory, file } of sources.inventories) add(`inventory/${inventory.name}.yml`, { yaml: renderInventory(inventory) }, file);
  const local = sources.inventories.find((i) => i.inventory.name === 'local');
  const cfgPath = path.join(root, 'ansible.cfg');
  const cfg = fs.existsSync(cfgPath) ? readAnsibleCfg(cfgPath) : {};
  for (const { scenario, file } of sources.scenarios) {
    if (!local) { problems.add(file, 'inventory', "Molecule scenarios run on the local stand: stand/inventory.ts must define the 'local' inventory"); break; }
    for (const [p, doc] of renderScenario(scenario, file, local.inventory, cfg, inventoryVars, roleFiles, problems)) add(p, { yaml: doc }, file);
  }
  for (const d of sources.data) add(d.path, JSON.stringify(d.value, null, 2) + '\n', d.file);
  checkPgParameterSets(root, sources, problems);
  const texts: JinjaText[] = [];
  for (const [p, content] of out) {
    const template = /^roles\/[^/]+\/templates\/(.+)$/.exec(p);
    if (template && typeof content === 'string') {
      texts.push({ source: path.join(path.dirname(origin.get(p)!), 'templates', template[1]!), field: 'template', text: content, expression: false });
    } else if (TEMPLATED_YAML.test(p) && typeof content === 'object' && !Buffer.isBuffer(content)) {
      texts.push(...jinjaTexts(content.yaml, origin.get(p)!, fieldPrefix(p)));
    }
  }
  for (const j of await checkJinjaSyntax(texts)) problems.add(j.source, j.field, j.message);
  problems.throwIfAny();
  lap('render+check');

  const schemas = new Schemas();
  lap('load schemas');
  const written = new Map<string, string | Buffer>();
  for (const [p, content] of out) {
    if (typeof content === 'string' || Buffer.isBuffer(content)) { written.set(p, content); continue; }
    const kind = schemaFor(p);
    if (kind) {
      for (const err of schemas.validate(kind, content.yaml)) problems.add(origin.get(p)!, p, `does not match ansible-lint's ${kind} schema: ${err}`);
    }
    written.set(p, toYaml(content.yaml, content.comment));
  }
  problems.throwIfAny();
  lap('validate+yaml');

  const emptyDirs = sources.roles.flatMap((r) => [`roles/${r.role.definition.name}/templates`, `roles/${r.role.definition.name}/files`]);
  writeTreeAtomically(outDir, written, emptyDirs);
  lap('write');
  return { timings, files: written.size, roles: [...roleNames].sort(), playbooks: sources.playbooks.map((p) => p.playbook.name).sort() };
}
