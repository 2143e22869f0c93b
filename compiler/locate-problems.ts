// Gives the compiler's own messages a `file:line:col`, so an editor can jump to them, and reports
// a mistake once even when Molecule scenarios repeat the plays it is in. The field path names
// the play, block and task by their (unique) names and ends with the key at fault: those are
// found in the source text in order.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceProblem } from './errors.js';

export interface LocatedProblem extends SourceProblem {
  line?: number;
  col?: number;
}

/** A key written bare (port:), quoted ('my-key':) or called (port(). */
const keyPattern = (key: string) => new RegExp(`(?:\\b|['"])${key}['"]?\\s*[:(]`);

function positionOf(text: string, field: string): number | undefined {
  // An empty name ('') is found too: a task the build refuses for having none.
  const names = [...field.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!);
  let pos = 0;
  let found = false;
  for (const name of names) {
    const at = ["'", '"', '`']
      .map((q) => text.indexOf(`${q}${name}${q}`, pos))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b)[0];
    if (at === undefined) return found ? pos : undefined;
    pos = at;
    found = true;
  }
  // The key at fault: the last plain identifier of the path (module names and indexes skipped).
  const tail = field
    .slice(field.lastIndexOf("'") + 1)
    .split('.')
    .filter(
      (k) => /^[A-Za-z_][\w-]*$/.test(k) && !['ansible', 'builtin', 'community', 'postgresql', 'default'].includes(k),
    );
  const key = tail.at(-1) ?? (names.length ? undefined : /^(?:vars|defaults)\.([\w-]+)/.exec(field)?.[1]);
  // A path of keys alone (`groups.pg.hosts.pg02.ansible_host`): the keys before the one at fault
  // found in order, so that one is the right host's, not the first in the file.
  if (!names.length) {
    const keys = field
      .replace(/\[\d+\]/g, '')
      .split('.')
      .filter((k) => /^[A-Za-z_][\w-]*$/.test(k));
    const last = key === undefined ? -1 : keys.lastIndexOf(key);
    for (const k of keys.slice(0, last < 0 ? keys.length - 1 : last)) {
      const m = keyPattern(k).exec(text.slice(pos));
      if (!m) continue;
      pos += m.index + m[0].length;
      found = true;
    }
  }
  if (key) {
    const m = keyPattern(key).exec(text.slice(pos, pos + 4000));
    if (m) return pos + m.index;
  }
  return found ? pos : undefined;
}

/** In a template the field is what is at fault (a variable read, a file included): its first use. */
function positionInTemplate(text: string, field: string): number | undefined {
  if (/^\w+$/.test(field)) return new RegExp(`\\b${field}\\b`).exec(text)?.index;
  const at = field ? text.indexOf(field) : -1;
  return at >= 0 ? at : undefined;
}

export function locateProblems(root: string, problems: readonly SourceProblem[]): LocatedProblem[] {
  const texts = new Map<string, string | undefined>();
  const read = (file: string) => {
    if (!texts.has(file)) {
      const p = path.join(root, file.replace(/ \(\w+\)$/, ''));
      texts.set(file, /\.(ts|j2)$/.test(p) && fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);
    }
    return texts.get(file);
  };
  const seen = new Set<string>();
  const out: LocatedProblem[] = [];
  for (const p of problems) {
    // Molecule repeats site's plays: the same mistake under the same play and task is one mistake.
    const key = `${p.field.replace(/plays\[\d+\]/g, 'plays[]').replace(/^\w+\.plays/, 'plays')}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = read(p.file);
    if (p.line) {
      out.push({ ...p, col: 1 });
      continue;
    }
    const at =
      text === undefined
        ? undefined
        : p.file.endsWith('.j2')
          ? positionInTemplate(text, p.field)
          : positionOf(text, p.field);
    if (at === undefined || !lastNameFound(text!, p.field)) {
      // A task a helper module builds (roles-src/packages.ts for site.ts): found in what the file imports.
      const elsewhere = text === undefined || p.file.endsWith('.j2') ? undefined : inImports(root, p.file, p.field);
      if (elsewhere) out.push({ ...p, ...elsewhere });
      else if (at === undefined) out.push(p);
      else out.push(located(p, text!, at));
      continue;
    }
    out.push(located(p, text!, at));
  }
  return out;
}

function located(p: SourceProblem, text: string, at: number): LocatedProblem {
  const before = text.slice(0, at).split('\n');
  return { ...p, file: p.file.replace(/ \(\w+\)$/, ''), line: before.length, col: before.at(-1)!.length + 1 };
}

/** The last name of a field path (the task at fault), if it has one. */
const lastName = (field: string) => [...field.matchAll(/'((?:[^'\\]|\\.)*)'/g)].at(-1)?.[1];

function lastNameFound(text: string, field: string): boolean {
  const name = lastName(field);
  return name === undefined || ["'", '"', '`'].some((q) => text.includes(`${q}${name}${q}`));
}

/**
 * The field's task in a project module the file imports (two levels deep): a task built by a
 * helper is named there. The path from the field's last name on is located in that file.
 */
function inImports(
  root: string,
  file: string,
  field: string,
  depth = 2,
): { file: string; line: number; col: number } | undefined {
  const name = lastName(field);
  const at = path.join(root, file.replace(/ \(\w+\)$/, ''));
  if (name === undefined || depth === 0 || !fs.existsSync(at)) return undefined;
  const text = fs.readFileSync(at, 'utf8');
  const tail = field.slice(field.lastIndexOf(`'${name}'`));
  for (const m of text.matchAll(/from '(\.\.?\/[^']+)\.js'/g)) {
    const rel = path.relative(root, path.resolve(path.dirname(at), `${m[1]!}.ts`));
    const imported = path.join(root, rel);
    if (rel.startsWith('..') || rel.includes('node_modules') || !fs.existsSync(imported)) continue;
    const source = fs.readFileSync(imported, 'utf8');
    if (lastNameFound(source, tail)) {
      const pos = positionOf(source, tail);
      if (pos !== undefined) {
        const before = source.slice(0, pos).split('\n');
        return { file: rel, line: before.length, col: before.at(-1)!.length + 1 };
      }
    }
    const deeper = inImports(root, rel, field, depth - 1);
    if (deeper) return deeper;
  }
  return undefined;
}
