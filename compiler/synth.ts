// In-process rendering of one role or playbook, for tests (in the spirit of cdk8s's
// Testing.synth): the emitted files as text and the problems the build would report, in
// milliseconds. What needs a process (TypeScript's diagnostics, Jinja's parser, atomic out/)
// stays with `npm run build`.
import type { Playbook } from '../dsl/playbook.js';
import type { AnyRole, Role } from '../dsl/role.js';
import type { VarDecls } from '../dsl/vars.js';
import { Problems, type SourceProblem } from './errors.js';
import { renderPlaybook } from './render/playbook.js';
import { renderRole, roleFileNames } from './render/role.js';
import { toYaml } from '../lib/yaml-out.js';

export interface Synth {
  /** Emitted files by path under out/, YAML already written as text. */
  files: Map<string, string | Buffer>;
  problems: SourceProblem[];
}

export interface SynthOptions {
  /** Folder holding templates/ and files/ (default: none). */
  dir?: string;
  /** Inventory variables the tasks may read. */
  inventoryVars?: Iterable<string>;
  /** Other roles of the project, for role uses and include_role. */
  roles?: readonly AnyRole[];
  /** Other playbooks of the project, for import_playbook. */
  playbooks?: readonly Playbook[];
}

const text = (content: string | Buffer | { yaml: unknown; comment?: string }) =>
  typeof content === 'string' || Buffer.isBuffer(content) ? content : toYaml(content.yaml, content.comment);

export function synthRole(anyRole: AnyRole, opts: SynthOptions = {}): Synth {
  const role = anyRole as Role<VarDecls>;
  const problems = new Problems();
  const roles = new Map(
    [role, ...((opts.roles ?? []) as Role<VarDecls>[])].map((r) => [r.name, roleFileNames(r.definition)]),
  );
  const out = renderRole(
    { role, file: `${role.name}/role.ts`, dir: opts.dir ?? '/nonexistent' },
    new Set(opts.inventoryVars),
    problems,
    roles,
  );
  return { files: new Map([...out].map(([p, c]) => [p, text(c)])), problems: problems.list };
}

export function synthPlaybook(pb: Playbook, opts: SynthOptions = {}): Synth {
  const problems = new Problems();
  const roles = new Map(((opts.roles ?? []) as Role<VarDecls>[]).map((r) => [r.name, roleFileNames(r.definition)]));
  const playbooks = new Set([pb.name, ...(opts.playbooks ?? []).map((p) => p.name)]);
  const yaml = renderPlaybook(pb, `${pb.name}.ts`, new Set(opts.inventoryVars), roles, problems, playbooks);
  return { files: new Map([[`${pb.name}.yml`, toYaml(yaml, pb.summary)]]), problems: problems.list };
}
