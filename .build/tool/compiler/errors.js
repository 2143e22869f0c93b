// Errors a user can cause: each names the source file, the field and what is expected.
export class BuildError extends Error {
    problems;
    constructor(problems) {
        super(problems.map(formatProblem).join('\n'));
        this.problems = problems;
    }
}
export function formatProblem(p) {
    return p.field ? `${p.file}: ${p.field}: ${p.message}` : `${p.file}: ${p.message}`;
}
/** Collects problems while a stage walks the sources; throws them all at once. */
export class Problems {
    list = [];
    add(file, field, message) {
        this.list.push({ file, field, message });
    }
    throwIfAny() {
        if (this.list.length)
            throw new BuildError(this.list);
    }
}
/** TypeScript diagnostics, one `file:line:col message` per line. */
export class TypeScriptError extends Error {
}
