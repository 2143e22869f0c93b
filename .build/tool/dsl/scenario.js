export function scenario(name, def) {
    return { kind: 'scenario', name, ...def };
}
