import { moduleCall } from '../module.js';
export const failSpec = {
    "fqcn": "ansible.builtin.fail",
    "options": {
        "msg": {
            "type": "str"
        }
    }
};
/** ansible.builtin.fail: Fail with custom message */
export function fail(args) {
    return moduleCall(failSpec, args);
}
