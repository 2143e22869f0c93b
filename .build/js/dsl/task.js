export function task(name, call, options = {}) {
    return { kind: 'task', name, call, ...options };
}
export function block(name, tasks, options = {}) {
    return { kind: 'block', name, block: tasks, ...options };
}
export function handler(name, call, options = {}) {
    return { kind: 'handler', name, call, ...options };
}
