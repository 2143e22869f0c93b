import { moduleCall } from '../module.js';
export const debugSpec = {
    "fqcn": "ansible.builtin.debug",
    "options": {
        "msg": {
            "type": "str"
        },
        "var": {
            "type": "str"
        },
        "verbosity": {
            "type": "int"
        }
    }
};
/** ansible.builtin.debug: Print statements during execution */
export function debug(args) {
    return moduleCall(debugSpec, args);
}
