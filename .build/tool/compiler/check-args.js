import { isJinja } from './values.js';
function typeError(type, v) {
    const got = Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v} (${JSON.stringify(v)})`;
    switch (type) {
        case 'str':
        case 'path':
        case 'sid':
            return typeof v === 'string' ? undefined : `expected a string, got ${got}`;
        case 'int':
            return Number.isInteger(v) ? undefined : `expected an integer, got ${got}`;
        case 'float':
            return typeof v === 'number' ? undefined : `expected a number, got ${got}`;
        case 'bool':
            return typeof v === 'boolean' ? undefined : `expected a boolean (true or false), got ${got}`;
        case 'list':
            return Array.isArray(v) ? undefined : `expected a list, got ${got}`;
        case 'dict':
            return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : `expected a mapping, got ${got}`;
        default:
            return undefined;
    }
}
function checkValue(opt, v, field, report) {
    if (isJinja(v))
        return; // decided at run time
    const err = opt.type ? typeError(opt.type, v) : undefined;
    if (err) {
        report(field, err);
        return;
    }
    if (opt.type === 'list' && Array.isArray(v)) {
        v.forEach((e, i) => {
            if (isJinja(e))
                return;
            const elErr = opt.elements ? typeError(opt.elements, e) : undefined;
            if (elErr)
                report(`${field}[${i}]`, elErr);
            else if (opt.choices && !opt.choices.includes(e))
                report(`${field}[${i}]`, `expected one of ${opt.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(e)}`);
            else if (opt.suboptions && opt.elements === 'dict')
                checkOptions(opt.suboptions, e, `${field}[${i}]`, report);
        });
        return;
    }
    if (opt.choices && !opt.choices.includes(v)) {
        report(field, `expected one of ${opt.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(v)}`);
    }
    if (opt.type === 'dict' && opt.suboptions)
        checkOptions(opt.suboptions, v, field, report);
}
export function checkOptions(options, args, prefix, report, freeForm = false) {
    const byName = new Map();
    for (const [name, o] of Object.entries(options)) {
        byName.set(name, [name, o]);
        for (const a of o.aliases ?? [])
            byName.set(a, [name, o]);
    }
    for (const [key, v] of Object.entries(args)) {
        if (v === undefined)
            continue;
        const found = byName.get(key);
        if (!found) {
            if (!freeForm)
                report(`${prefix}.${key}`, `unknown argument; expected one of ${Object.keys(options).join(', ')}`);
            continue;
        }
        checkValue(found[1], v, `${prefix}.${key}`, report);
    }
    for (const [name, o] of Object.entries(options)) {
        if (!o.required)
            continue;
        const given = [name, ...(o.aliases ?? [])].some((k) => args[k] !== undefined);
        if (!given)
            report(`${prefix}.${name}`, `missing required argument${o.aliases?.length ? ` (or its alias ${o.aliases.join(', ')})` : ''}`);
    }
}
export function checkModuleArgs(spec, args, prefix, report) {
    checkOptions(spec.options, args, prefix, report, spec.freeForm);
}
