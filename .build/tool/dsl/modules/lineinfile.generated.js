import { moduleCall } from '../module.js';
export const lineinfileSpec = {
    "fqcn": "ansible.builtin.lineinfile",
    "options": {
        "attributes": {
            "type": "str",
            "aliases": [
                "attr"
            ]
        },
        "backrefs": {
            "type": "bool"
        },
        "backup": {
            "type": "bool"
        },
        "create": {
            "type": "bool"
        },
        "firstmatch": {
            "type": "bool"
        },
        "group": {
            "type": "str"
        },
        "insertafter": {
            "type": "str"
        },
        "insertbefore": {
            "type": "str"
        },
        "line": {
            "type": "str",
            "aliases": [
                "value"
            ]
        },
        "mode": {
            "type": "raw"
        },
        "owner": {
            "type": "str"
        },
        "path": {
            "type": "path",
            "required": true,
            "aliases": [
                "dest",
                "destfile",
                "name"
            ]
        },
        "regexp": {
            "type": "str",
            "aliases": [
                "regex"
            ]
        },
        "search_string": {
            "type": "str"
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
        "state": {
            "type": "str",
            "choices": [
                "absent",
                "present"
            ]
        },
        "unsafe_writes": {
            "type": "bool"
        },
        "validate": {
            "type": "str"
        }
    }
};
/** ansible.builtin.lineinfile: Manage lines in text files */
export function lineinfile(args) {
    return moduleCall(lineinfileSpec, args);
}
