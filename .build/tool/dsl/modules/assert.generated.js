import { moduleCall } from '../module.js';
export const assertSpec = {
    "fqcn": "ansible.builtin.assert",
    "options": {
        "fail_msg": {
            "type": "str",
            "aliases": [
                "msg"
            ]
        },
        "quiet": {
            "type": "bool"
        },
        "success_msg": {
            "type": "str"
        },
        "that": {
            "type": "list",
            "required": true,
            "elements": "str"
        }
    }
};
/** ansible.builtin.assert: Asserts given expressions are true */
export function assert(args) {
    return moduleCall(assertSpec, args);
}
