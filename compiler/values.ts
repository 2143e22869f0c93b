// Turning DSL values into plain data for YAML, and recognising Jinja in them.
// Roles are evaluated from emitted JavaScript, so Expr is recognised by its brand, not instanceof.
import { isExpr } from '../dsl/jinja.js';

export { isExpr };

export function isJinja(v: unknown): boolean {
  return isExpr(v) || (typeof v === 'string' && /\{\{[\s\S]*\}\}|\{%[\s\S]*%\}/.test(v));
}

/** Deep copy to YAML-ready data: Expr -> "{{ expr }}", undefined keys dropped, order kept. */
export function plain(v: unknown): unknown {
  if (isExpr(v)) return v.toString();
  if (Array.isArray(v)) return v.map(plain);
  // A mapping keyed by numbers or booleans (an imported `10: "3.1"`): the YAML keeps the key types.
  if (v instanceof Map) return new Map([...(v as Map<unknown, unknown>)].map(([k, x]) => [k, plain(x)]));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
    return out;
  }
  return v;
}

/** Every string inside a plain value, with its path. */
export function* strings(v: unknown, path: string): Generator<[string, string]> {
  if (typeof v === 'string') yield [path, v];
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* strings(x, `${path}[${i}]`);
  else if (v instanceof Map)
    for (const [k, x] of v as Map<unknown, unknown>) yield* strings(x, path ? `${path}.${String(k)}` : String(k));
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) yield* strings(x, path ? `${path}.${k}` : k);
}
