import { moduleCall } from '../module.js';
export const aptSpec = {
    "fqcn": "ansible.builtin.apt",
    "options": {
        "allow_change_held_packages": {
            "type": "bool"
        },
        "allow_downgrade": {
            "type": "bool",
            "aliases": [
                "allow-downgrade",
                "allow_downgrades",
                "allow-downgrades"
            ]
        },
        "allow_unauthenticated": {
            "type": "bool",
            "aliases": [
                "allow-unauthenticated"
            ]
        },
        "auto_install_module_deps": {
            "type": "bool"
        },
        "autoclean": {
            "type": "bool"
        },
        "autoremove": {
            "type": "bool"
        },
        "cache_valid_time": {
            "type": "int"
        },
        "clean": {
            "type": "bool"
        },
        "deb": {
            "type": "path"
        },
        "default_release": {
            "type": "str",
            "aliases": [
                "default-release"
            ]
        },
        "dpkg_options": {
            "type": "str"
        },
        "fail_on_autoremove": {
            "type": "bool"
        },
        "force": {
            "type": "bool"
        },
        "force_apt_get": {
            "type": "bool"
        },
        "install_recommends": {
            "type": "bool",
            "aliases": [
                "install-recommends"
            ]
        },
        "lock_timeout": {
            "type": "int"
        },
        "name": {
            "type": "list",
            "elements": "str",
            "aliases": [
                "package",
                "pkg"
            ]
        },
        "only_upgrade": {
            "type": "bool"
        },
        "policy_rc_d": {
            "type": "int"
        },
        "purge": {
            "type": "bool"
        },
        "state": {
            "type": "str",
            "choices": [
                "absent",
                "build-dep",
                "latest",
                "present",
                "fixed"
            ]
        },
        "update_cache": {
            "type": "bool",
            "aliases": [
                "update-cache"
            ]
        },
        "update_cache_retries": {
            "type": "int"
        },
        "update_cache_retry_max_delay": {
            "type": "int"
        },
        "upgrade": {
            "type": "str",
            "choices": [
                "dist",
                "full",
                "no",
                "safe",
                "yes"
            ]
        }
    }
};
/** ansible.builtin.apt: Manages apt-packages */
export function apt(args) {
    return moduleCall(aptSpec, args);
}
