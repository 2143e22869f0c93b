import { moduleCall } from '../module.js';
export const set_factSpec = {
    "fqcn": "ansible.builtin.set_fact",
    "options": {
        "cacheable": {
            "type": "bool"
        }
    },
    "freeForm": true
};
/** ansible.builtin.set_fact: Set host variable(s) and fact(s). */
export function set_fact(args) {
    return moduleCall(set_factSpec, args);
}
