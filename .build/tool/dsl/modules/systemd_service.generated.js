import { moduleCall } from '../module.js';
export const systemd_serviceSpec = {
    "fqcn": "ansible.builtin.systemd_service",
    "options": {
        "daemon_reexec": {
            "type": "bool",
            "aliases": [
                "daemon-reexec"
            ]
        },
        "daemon_reload": {
            "type": "bool",
            "aliases": [
                "daemon-reload"
            ]
        },
        "enabled": {
            "type": "bool"
        },
        "force": {
            "type": "bool"
        },
        "masked": {
            "type": "bool"
        },
        "name": {
            "type": "str",
            "aliases": [
                "service",
                "unit"
            ]
        },
        "no_block": {
            "type": "bool"
        },
        "scope": {
            "type": "str",
            "choices": [
                "system",
                "user",
                "global"
            ]
        },
        "state": {
            "type": "str",
            "choices": [
                "reloaded",
                "restarted",
                "started",
                "stopped"
            ]
        }
    }
};
/** ansible.builtin.systemd_service: Manage systemd units */
export function systemd_service(args) {
    return moduleCall(systemd_serviceSpec, args);
}
