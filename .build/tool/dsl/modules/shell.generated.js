import { moduleCall } from '../module.js';
export const shellSpec = {
    "fqcn": "ansible.builtin.shell",
    "options": {
        "chdir": {
            "type": "path"
        },
        "cmd": {
            "type": "str"
        },
        "creates": {
            "type": "path"
        },
        "executable": {
            "type": "path"
        },
        "removes": {
            "type": "path"
        },
        "stdin": {
            "type": "str"
        },
        "stdin_add_newline": {
            "type": "bool"
        }
    }
};
/** ansible.builtin.shell: Execute shell commands on targets */
export function shell(args) {
    return moduleCall(shellSpec, args);
}
