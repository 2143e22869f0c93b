import { moduleCall } from '../module.js';
export const uriSpec = {
    "fqcn": "ansible.builtin.uri",
    "options": {
        "attributes": {
            "type": "str",
            "aliases": [
                "attr"
            ]
        },
        "body": {
            "type": "raw"
        },
        "body_format": {
            "type": "str",
            "choices": [
                "form-urlencoded",
                "json",
                "raw",
                "form-multipart"
            ]
        },
        "ca_path": {
            "type": "path"
        },
        "ciphers": {
            "type": "list",
            "elements": "str"
        },
        "client_cert": {
            "type": "path"
        },
        "client_key": {
            "type": "path"
        },
        "creates": {
            "type": "path"
        },
        "decompress": {
            "type": "bool"
        },
        "dest": {
            "type": "path"
        },
        "follow_redirects": {
            "type": "str",
            "choices": [
                "all",
                "no",
                "none",
                "safe",
                "urllib2",
                "yes"
            ]
        },
        "force": {
            "type": "bool"
        },
        "force_basic_auth": {
            "type": "bool"
        },
        "group": {
            "type": "str"
        },
        "headers": {
            "type": "dict"
        },
        "http_agent": {
            "type": "str"
        },
        "method": {
            "type": "str"
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
        "removes": {
            "type": "path"
        },
        "return_content": {
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
        "status_code": {
            "type": "list",
            "elements": "int"
        },
        "timeout": {
            "type": "int"
        },
        "unix_socket": {
            "type": "path"
        },
        "unredirected_headers": {
            "type": "list",
            "elements": "str"
        },
        "unsafe_writes": {
            "type": "bool"
        },
        "url": {
            "type": "str",
            "required": true
        },
        "url_password": {
            "type": "str",
            "aliases": [
                "password"
            ]
        },
        "url_username": {
            "type": "str",
            "aliases": [
                "user"
            ]
        },
        "use_gssapi": {
            "type": "bool"
        },
        "use_netrc": {
            "type": "bool"
        },
        "use_proxy": {
            "type": "bool"
        },
        "validate_certs": {
            "type": "bool"
        }
    }
};
/** ansible.builtin.uri: Interacts with webservices */
export function uri(args) {
    return moduleCall(uriSpec, args);
}
