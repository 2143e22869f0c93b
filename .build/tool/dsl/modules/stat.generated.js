import { moduleCall } from '../module.js';
export const statSpec = {
    "fqcn": "ansible.builtin.stat",
    "options": {
        "checksum_algorithm": {
            "type": "str",
            "choices": [
                "md5",
                "sha1",
                "sha224",
                "sha256",
                "sha384",
                "sha512"
            ],
            "aliases": [
                "checksum",
                "checksum_algo"
            ]
        },
        "follow": {
            "type": "bool"
        },
        "get_attributes": {
            "type": "bool",
            "aliases": [
                "attr",
                "attributes"
            ]
        },
        "get_checksum": {
            "type": "bool"
        },
        "get_mime": {
            "type": "bool",
            "aliases": [
                "mime",
                "mime_type",
                "mime-type"
            ]
        },
        "path": {
            "type": "path",
            "required": true,
            "aliases": [
                "dest",
                "name"
            ]
        }
    }
};
/** ansible.builtin.stat: Retrieve file or file system status */
export function stat(args) {
    return moduleCall(statSpec, args);
}
