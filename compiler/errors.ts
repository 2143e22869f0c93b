// Errors a user can cause: each names the source file, the field and what is expected.

export interface SourceProblem {
  file: string;
  field: string;
  message: string;
}

export class BuildError extends Error {
  constructor(readonly problems: readonly SourceProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(p: SourceProblem): string {
  return p.field ? `${p.file}: ${p.field}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** Collects problems while a stage walks the sources; throws them all at once. */
export class Problems {
  readonly list: SourceProblem[] = [];
  add(file: string, field: string, message: string): void {
    this.list.push({ file, field, message });
  }
  throwIfAny(): void {
    if (this.list.length) throw new BuildError(this.list);
  }
}

/** TypeScript diagnostics, one `file:line:col message` per line. */
export class TypeScriptError extends Error {}
