import { moduleCall } from '../module.js';
export const templateSpec = {
    "fqcn": "ansible.builtin.template",
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
        "block_end_string": {
            "type": "str"
        },
        "block_start_string": {
            "type": "str"
        },
        "comment_end_string": {
            "type": "str"
        },
        "comment_start_string": {
            "type": "str"
        },
        "dest": {
            "type": "path",
            "required": true
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
        "lstrip_blocks": {
            "type": "bool"
        },
        "mode": {
            "type": "raw"
        },
        "newline_sequence": {
            "type": "str",
            "choices": [
                "\\n",
                "\\r",
                "\\r\\n"
            ]
        },
        "output_encoding": {
            "type": "str"
        },
        "owner": {
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
        "src": {
            "type": "path",
            "required": true
        },
        "trim_blocks": {
            "type": "bool"
        },
        "unsafe_writes": {
            "type": "bool"
        },
        "validate": {
            "type": "str"
        },
        "variable_end_string": {
            "type": "str"
        },
        "variable_start_string": {
            "type": "str"
        }
    }
};
/** ansible.builtin.template: Template a file out to a target host */
export function template(args) {
    return moduleCall(templateSpec, args);
}
