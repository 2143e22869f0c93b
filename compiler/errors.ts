// Errors a user can cause: each names the source file, the field and what is expected.
import { locateProblems } from './locate-problems.js';

export interface SourceProblem {
  file: string;
  field: string;
  message: string;
  /** Known where the checker found it (a line of a template); else found from the field. */
  line?: number;
}

export class BuildError extends Error {
  constructor(readonly problems: readonly SourceProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** `file:line:col: field: message` when the position is known (editors jump there), else `file: field: message`. */
export function formatProblem(p: SourceProblem & { line?: number; col?: number }): string {
  const where = p.line ? `${p.file}:${p.line}:${p.col}` : p.file;
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

/** Collects problems while a stage walks the sources; throws them all at once. */
export class Problems {
  readonly list: SourceProblem[] = [];
  /** With the project root, messages get file:line:col and repeats are dropped. */
  constructor(private readonly root?: string) {}
  add(file: string, field: string, message: string, line?: number): void {
    this.list.push(line ? { file, field, message, line } : { file, field, message });
  }
  throwIfAny(): void {
    if (this.list.length) throw new BuildError(this.root ? locateProblems(this.root, this.list) : this.list);
  }
}

/** TypeScript diagnostics, one `file:line:col message` per line. */
export class TypeScriptError extends Error {}
