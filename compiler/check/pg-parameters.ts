// Finds every PostgreSQL parameter set (pgParameters()) the sources use and checks each parameter
// against pg_settings, reporting problems at the parameter's own line in the source.
import { isPlay } from '../../dsl/playbook.js';
import fs from 'node:fs';
import path from 'node:path';
import { checkParameter } from '../../dsl/postgres/check.js';
import { PG_PARAMETERS_MARK } from '../../dsl/postgres/parameters.js';
import type { Problems } from '../errors.js';
import type { Sources } from '../load-sources.js';

type Marked = Record<string, unknown> & { [PG_PARAMETERS_MARK]: { stack: string } };

function* parameterSets(v: unknown, seen = new Set<unknown>()): Generator<Marked> {
  if (typeof v !== 'object' || v === null || seen.has(v)) return;
  seen.add(v);
  if (Object.getOwnPropertyDescriptor(v, PG_PARAMETERS_MARK)) {
    yield v as Marked;
    return;
  }
  for (const x of Object.values(v)) yield* parameterSets(x, seen);
}

/** The source file (relative to the root) that called pgParameters(), from the call's stack. */
function callerSource(stack: string): string | undefined {
  for (const m of stack.matchAll(/\.build\/js\/([^:)\s]+)\.js:\d+:\d+/g)) {
    if (!m[1]!.startsWith('dsl/')) return `${m[1]}.ts`;
  }
  return undefined;
}

/** `file:line:col` of a parameter's key in its source, or the file alone if not found. */
function locate(root: string, rel: string, name: string): string {
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  const m = new RegExp(`(?<![\\w.])(['"]?)${name}\\1\\s*:`).exec(text);
  if (!m) return rel;
  const before = text.slice(0, m.index).split('\n');
  return `${rel}:${before.length}:${before.at(-1)!.length + 1}`;
}

export function checkPgParameterSets(root: string, sources: Sources, problems: Problems): void {
  const roots: [string, unknown][] = [
    ...sources.roles.map(
      (r) => [r.file, Object.values(r.role.definition.vars).map((d) => d.default)] as [string, unknown],
    ),
    ...sources.playbooks.map(
      (p) =>
        [p.file, p.playbook.plays.map((pl) => [pl.vars, (isPlay(pl) ? (pl.roles ?? []) : []).map((u) => u.vars)])] as [
          string,
          unknown,
        ],
    ),
  ];
  const seen = new Set<unknown>();
  for (const [file, value] of roots) {
    for (const set of parameterSets(value, seen)) {
      const src = callerSource(set[PG_PARAMETERS_MARK].stack) ?? file;
      for (const [name, v] of Object.entries(set)) {
        const r = checkParameter(name, v);
        if (!r.ok) problems.add(locate(root, src, name), `parameter '${name}'`, r.message);
      }
    }
  }
}
