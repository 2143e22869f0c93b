import { moduleCall } from '../module.js';
export const postgresql_querySpec = {
    "fqcn": "community.postgresql.postgresql_query",
    "options": {
        "autocommit": {
            "type": "bool"
        },
        "ca_cert": {
            "type": "str",
            "aliases": [
                "ssl_rootcert"
            ]
        },
        "connect_params": {
            "type": "dict"
        },
        "encoding": {
            "type": "str"
        },
        "login_db": {
            "type": "str",
            "aliases": [
                "db"
            ]
        },
        "login_host": {
            "type": "str",
            "aliases": [
                "host"
            ]
        },
        "login_password": {
            "type": "str"
        },
        "login_port": {
            "type": "int",
            "aliases": [
                "port"
            ]
        },
        "login_unix_socket": {
            "type": "str",
            "aliases": [
                "unix_socket"
            ]
        },
        "login_user": {
            "type": "str",
            "aliases": [
                "login"
            ]
        },
        "named_args": {
            "type": "dict"
        },
        "positional_args": {
            "type": "list",
            "elements": "raw"
        },
        "query": {
            "type": "raw"
        },
        "search_path": {
            "type": "list",
            "elements": "str"
        },
        "session_role": {
            "type": "str"
        },
        "ssl_cert": {
            "type": "path"
        },
        "ssl_key": {
            "type": "path"
        },
        "ssl_mode": {
            "type": "str",
            "choices": [
                "allow",
                "disable",
                "prefer",
                "require",
                "verify-ca",
                "verify-full"
            ]
        },
        "trust_input": {
            "type": "bool"
        }
    }
};
/** community.postgresql.postgresql_query: Run PostgreSQL queries */
export function postgresql_query(args) {
    return moduleCall(postgresql_querySpec, args);
}
