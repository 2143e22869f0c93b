// An Ansible inventory: groups of hosts with host and group variables.
export function inventory(name, def) {
    return { kind: 'inventory', name, ...def };
}
