// Jinja expressions in the DSL. A typed reference renders as `{{ name }}` wherever a string
// is expected (template literals included) and is checked against what the role declares.
export class Expr {
    expr;
    constructor(expr) {
        this.expr = expr;
    }
    toString() {
        return `{{ ${this.expr} }}`;
    }
    toJSON() {
        return this.toString();
    }
    /** A derived expression, e.g. `v.port.then(e => `${e} + 1`)`. */
    map(f) {
        return new Expr(f(this.expr));
    }
}
export function jinja(expr) {
    return new Expr(expr);
}
export function conditionText(c) {
    if (c instanceof Expr)
        return c.expr;
    return c;
}
