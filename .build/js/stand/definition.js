// The one definition of the stand: hosts, addresses, groups and domain.
// The inventory the build emits, the local container stand and the Vagrantfile all read it.
export const stand = {
    domain: 'pgha.test',
    hosts: [
        { name: 'ns', octet: 10, groups: ['infra'], vagrantMemory: 512 },
        { name: 'pg01', octet: 101, groups: ['pg'], vagrantMemory: 1024 },
        { name: 'pg02', octet: 102, groups: ['pg'], vagrantMemory: 1024 },
        { name: 'pg03', octet: 103, groups: ['pg'], vagrantMemory: 1024 },
    ],
    networks: {
        /** The original plan, kept for VirtualBox. */
        vagrant: { prefix: '192.168.50' },
        /** The local container stand: a private bridge of its own. */
        local: { prefix: '10.213.50' },
    },
};
export function hostAddress(host, network) {
    return `${stand.networks[network].prefix}.${host.octet}`;
}
export function gatewayAddress(network) {
    return `${stand.networks[network].prefix}.1`;
}
export function subnetCidr(network) {
    return `${stand.networks[network].prefix}.0/24`;
}
/** The in-addr.arpa zone of a network's /24, e.g. 50.168.192.in-addr.arpa. */
export function reverseZone(network) {
    return `${stand.networks[network].prefix.split('.').reverse().join('.')}.in-addr.arpa`;
}
export function hostsInGroup(group) {
    return stand.hosts.filter((h) => h.groups.includes(group));
}
