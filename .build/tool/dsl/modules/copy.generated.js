import { moduleCall } from '../module.js';
export const copySpec = {
    "fqcn": "ansible.builtin.copy",
    "options": {
        "attributes": {
            "type": "str",
            "aliases": [
                "attr"
            ]
        },
        "backup": {
            "type": "bool"
        },
        "checksum": {
            "type": "str"
        },
        "content": {
            "type": "str"
        },
        "decrypt": {
            "type": "bool"
        },
        "dest": {
            "type": "path",
            "required": true
        },
        "directory_mode": {
            "type": "raw"
        },
        "follow": {
            "type": "bool"
        },
        "force": {
            "type": "bool"
        },
        "group": {
            "type": "str"
        },
        "local_follow": {
            "type": "bool"
        },
        "mode": {
            "type": "raw"
        },
        "owner": {
            "type": "str"
        },
        "remote_src": {
            "type": "bool"
        },
        "selevel": {
            "type": "str"
        },
        "serole": {
            "type": "str"
        },
        "setype": {
            "type": "str"
        },
        "seuser": {
            "type": "str"
        },
        "src": {
            "type": "path"
        },
        "unsafe_writes": {
            "type": "bool"
        },
        "validate": {
            "type": "str"
        }
    }
};
/** ansible.builtin.copy: Copy files to remote locations */
export function copy(args) {
    return moduleCall(copySpec, args);
}
