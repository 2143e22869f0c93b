// Jinja expressions in the DSL. A typed reference renders as `{{ name }}` wherever a string
// is expected (template literals included) and is checked against what the role declares.

/**
 * Marks an Expr across module instances: the build evaluates roles from emitted JavaScript while
 * the compiler runs from its own copy of this module, so `instanceof` cannot tell.
 */
export const EXPR_BRAND: unique symbol = Symbol.for('pgha.dsl.expr') as never;

export class Expr<T = unknown> {
  /** Phantom: the type of value the expression yields in Ansible. */
  declare readonly __type?: T;
  readonly [EXPR_BRAND] = true;
  constructor(readonly expr: string) {}
  toString(): string {
    return `{{ ${this.expr} }}`;
  }
  toJSON(): string {
    return this.toString();
  }
  /** A derived expression, e.g. `v.port.then(e => `${e} + 1`)`. */
  map<U = unknown>(f: (expr: string) => string): Expr<U> {
    return new Expr<U>(f(this.expr));
  }
}

/** A raw Jinja string, accepted where a non-string value is expected. */
export type JinjaString = `{{${string}}}`;
export type Jinja = Expr | JinjaString;

/** Any value, or a Jinja expression that yields it at run time. */
export type Val<T> = T | Jinja;

export function jinja<T = unknown>(expr: string): Expr<T> {
  return new Expr<T>(expr);
}

/** A bare Jinja condition, as `when`, `changed_when` and `failed_when` take it. */
export type Condition = string | Expr<boolean> | boolean;

/** `when` wherever Ansible takes it (tasks, blocks, role uses, playbook imports): one condition or a list, all of which must hold. */
export type When = Condition | readonly Condition[];

/**
 * A condition built from typed references: cond`${v.mode} == 'server'` gives the bare expression
 * `mode == 'server'` (a plain template literal would give `{{ mode }} == 'server'`, which
 * conditions refuse). Interpolated strings and numbers are written as Jinja literals.
 */
export function cond(
  parts: TemplateStringsArray,
  ...values: readonly (Expr | string | number | boolean)[]
): Expr<boolean> {
  const literal = (x: string | number | boolean) =>
    typeof x === 'string' ? JSON.stringify(x) : typeof x === 'boolean' ? (x ? 'true' : 'false') : String(x);
  return new Expr<boolean>(
    parts.reduce((acc, part, i) => {
      if (i === 0) return part;
      const x = values[i - 1]!;
      return acc + (isExpr(x) ? x.expr : literal(x)) + part;
    }, ''),
  );
}

export function isExpr(v: unknown): v is Expr {
  return typeof v === 'object' && v !== null && (v as { [EXPR_BRAND]?: boolean })[EXPR_BRAND] === true;
}
