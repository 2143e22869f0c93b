import { moduleCall } from '../module.js';
export const wait_forSpec = {
    "fqcn": "ansible.builtin.wait_for",
    "options": {
        "active_connection_states": {
            "type": "list",
            "elements": "str"
        },
        "connect_timeout": {
            "type": "int"
        },
        "delay": {
            "type": "int"
        },
        "exclude_hosts": {
            "type": "list",
            "elements": "str"
        },
        "host": {
            "type": "str"
        },
        "msg": {
            "type": "str"
        },
        "path": {
            "type": "path"
        },
        "port": {
            "type": "int"
        },
        "search_regex": {
            "type": "str"
        },
        "sleep": {
            "type": "int"
        },
        "state": {
            "type": "str",
            "choices": [
                "absent",
                "drained",
                "present",
                "started",
                "stopped"
            ]
        },
        "timeout": {
            "type": "int"
        }
    }
};
/** ansible.builtin.wait_for: Waits for a condition before continuing */
export function wait_for(args) {
    return moduleCall(wait_forSpec, args);
}
