import { moduleCall } from '../module.js';
export const fileSpec = {
    "fqcn": "ansible.builtin.file",
    "options": {
        "access_time": {
            "type": "str"
        },
        "access_time_format": {
            "type": "str"
        },
        "attributes": {
            "type": "str",
            "aliases": [
                "attr"
            ]
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
        "mode": {
            "type": "raw"
        },
        "modification_time": {
            "type": "str"
        },
        "modification_time_format": {
            "type": "str"
        },
        "owner": {
            "type": "str"
        },
        "path": {
            "type": "path",
            "required": true,
            "aliases": [
                "dest",
                "name"
            ]
        },
        "recurse": {
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
        "state": {
            "type": "str",
            "choices": [
                "absent",
                "directory",
                "file",
                "hard",
                "link",
                "touch"
            ]
        },
        "unsafe_writes": {
            "type": "bool"
        }
    }
};
/** ansible.builtin.file: Manage files and file properties */
export function file(args) {
    return moduleCall(fileSpec, args);
}
