import { moduleCall } from '../module.js';
export const postgresql_dbSpec = {
    "fqcn": "community.postgresql.postgresql_db",
    "options": {
        "ca_cert": {
            "type": "str",
            "aliases": [
                "ssl_rootcert"
            ]
        },
        "comment": {
            "type": "str"
        },
        "conn_limit": {
            "type": "str"
        },
        "connect_params": {
            "type": "dict"
        },
        "dump_extra_args": {
            "type": "str"
        },
        "encoding": {
            "type": "str"
        },
        "force": {
            "type": "bool"
        },
        "icu_locale": {
            "type": "str"
        },
        "lc_collate": {
            "type": "str"
        },
        "lc_ctype": {
            "type": "str"
        },
        "locale_provider": {
            "type": "str"
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
        "maintenance_db": {
            "type": "str"
        },
        "name": {
            "type": "str",
            "required": true,
            "aliases": [
                "db"
            ]
        },
        "owner": {
            "type": "str"
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
        "state": {
            "type": "str",
            "choices": [
                "absent",
                "dump",
                "present",
                "rename",
                "restore"
            ]
        },
        "tablespace": {
            "type": "path"
        },
        "target": {
            "type": "path"
        },
        "target_opts": {
            "type": "str"
        },
        "template": {
            "type": "str"
        },
        "trust_input": {
            "type": "bool"
        }
    }
};
/** community.postgresql.postgresql_db: Add or remove PostgreSQL databases from a remote host */
export function postgresql_db(args) {
    return moduleCall(postgresql_dbSpec, args);
}
