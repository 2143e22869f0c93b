import { metaSpec } from './modules/meta.generated.js';
export function task(name, call, options = {}) {
    return { kind: 'task', name, call, ...options };
}
export function block(name, tasks, options = {}) {
    return { kind: 'block', name, block: tasks, ...options };
}
export function handler(name, call, options = {}) {
    return { kind: 'handler', name, call, ...options };
}
/** `meta: flush_handlers`: run the handlers notified so far, here rather than at the play's end. */
export function flushHandlers(name = 'Apply configuration changes now') {
    return task(name, { kind: 'module', spec: metaSpec, args: 'flush_handlers' });
}
