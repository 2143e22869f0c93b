// A role: typed variables, tasks, handlers, templates and files, and Galaxy metadata.
import { Expr } from './jinja.js';
export class UndeclaredVariableError extends Error {
}
export function refsFor(roleName, vars) {
    return new Proxy({}, {
        get(_, key) {
            if (typeof key !== 'string')
                return undefined;
            if (!Object.hasOwn(vars, key)) {
                throw new UndeclaredVariableError(`variable '${key}' is not declared by role '${roleName}' (declared: ${Object.keys(vars).join(', ') || 'none'})`);
            }
            return new Expr(key);
        },
    });
}
export const DEFAULT_META = {
    author: 'pgha',
    license: 'MIT',
    min_ansible_version: '2.15',
    platforms: [{ name: 'Debian', versions: ['bookworm'] }],
};
export function defineRole(definition) {
    const role = {
        kind: 'role',
        definition,
        name: definition.name,
        use: (vars = {}) => ({ role: role, vars: vars }),
    };
    return role;
}
