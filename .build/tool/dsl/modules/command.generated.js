import { moduleCall } from '../module.js';
export const commandSpec = {
    "fqcn": "ansible.builtin.command",
    "options": {
        "argv": {
            "type": "list",
            "elements": "str"
        },
        "chdir": {
            "type": "path"
        },
        "cmd": {
            "type": "str"
        },
        "creates": {
            "type": "path"
        },
        "expand_argument_vars": {
            "type": "bool"
        },
        "removes": {
            "type": "path"
        },
        "stdin": {
            "type": "str"
        },
        "stdin_add_newline": {
            "type": "bool"
        },
        "strip_empty_ends": {
            "type": "bool"
        }
    }
};
/** ansible.builtin.command: Execute commands on targets */
export function command(args) {
    return moduleCall(commandSpec, args);
}
